import type { ArgumentRole, McpCatalog, McpToolEntry } from './mcp-catalog.js';

// Railway's MCP tools: the official server (railwayapp/railway-mcp-server, kebab-case names),
// the widely used community server (snake_case `volume_delete`, …) and the verb-first spellings
// agents and wrappers use (`remove_volume`). What a tool CAN do decides, as in the GraphQL
// catalog: anything that removes a volume, service, project, environment, domain or variable is
// destructive and irreversible; a volume takes its backups with it.

/** Arguments that name Railway things, in both spellings servers use. */
const IDS: Readonly<Record<string, ArgumentRole>> = {
  volume_id: { target: 'volume' },
  volumeId: { target: 'volume' },
  service_id: { target: 'service' },
  serviceId: { target: 'service' },
  project_id: { target: 'project' },
  projectId: { target: 'project' },
  environment_id: { target: 'environment' },
  environmentId: { target: 'environment' },
  deployment_id: { target: 'deployment' },
  deploymentId: { target: 'deployment' },
  domain: { target: 'domain' },
  domain_id: { target: 'domain' },
  domainId: { target: 'domain' },
  variable: { target: 'variable' },
  name: { target: 'variable' },
  proxy_id: { target: 'tcpProxy' },
  proxyId: { target: 'tcpProxy' },
};

const read: McpToolEntry = { effect: 'read', reversible: true, args: IDS };
const write: McpToolEntry = { effect: 'write', reversible: true, args: IDS };
const destroy: McpToolEntry = { effect: 'destructive', reversible: false, args: IDS };

const READS = [
  'check_railway_status',
  'whoami',
  'docs_search',
  'search_docs',
  'list_projects',
  'list_services',
  'list_deployments',
  'list_variables',
  'list_environments',
  'list_volumes',
  'list_domains',
  'list_templates',
  'get_logs',
  'get_build_logs',
  'get_deployment_logs',
  'get_project',
  'get_service',
  'get_environment',
  'get_deployment',
  'get_volume',
  'get_domain',
  'project_list',
  'project_info',
  'project_environments',
  'service_list',
  'service_info',
  'deployment_list',
  'deployment_logs',
  'deployment_status',
  'deployment_health_check',
  'domain_list',
  'domain_check',
  'tcp_proxy_list',
  'variable_list',
  'volume_list',
  'database_list_types',
  'template_list',
];

const WRITES = [
  'create_environment',
  'create_project_and_link',
  'create_project',
  'create_service',
  'create_volume',
  'create_domain',
  'deploy',
  'deploy_template',
  'generate_domain',
  'link_environment',
  'link_service',
  'set_variables',
  'update_service',
  'redeploy',
  'restart_service',
  'project_create',
  'service_create_from_repo',
  'service_create_from_image',
  'service_update',
  'service_restart',
  'deployment_trigger',
  'domain_create',
  'domain_update',
  'tcp_proxy_create',
  'variable_set',
  'variable_bulk_set',
  'variable_copy',
  'volume_create',
  'volume_update',
  'database_deploy',
  'template_deploy',
];

const DESTROYS = [
  'remove_volume',
  'remove_service',
  'remove_project',
  'remove_environment',
  'remove_domain',
  'remove_variable',
  'remove_deployment',
  'delete_volume',
  'delete_service',
  'delete_project',
  'delete_environment',
  'delete_domain',
  'delete_variable',
  'delete_variables',
  'delete_deployment',
  'project_delete',
  'service_delete',
  'domain_delete',
  'tcp_proxy_delete',
  'variable_delete',
  'volume_delete',
  'environment_delete',
];

/** Railway's MCP tools by canonical name. */
export const RAILWAY_MCP_CATALOG: McpCatalog = {
  name: 'railway',
  tools: {
    ...Object.fromEntries(READS.map((name) => [name, read])),
    ...Object.fromEntries(WRITES.map((name) => [name, write])),
    ...Object.fromEntries(DESTROYS.map((name) => [name, destroy])),
    configure_api_token: {
      effect: 'destructive',
      reversible: false,
      note: 'replaces the credential the server acts with: everything after runs as someone else',
    },
  },
};
