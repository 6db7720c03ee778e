import type { OperationEntry } from '../graphql/graphql-catalog.js';
import { destructive, id, ids, read, write } from './operation-entries.js';

// Every root mutation of Railway's public schema (test/upstreams/railway/schema.json), classified
// by hand. What matters is what an operation CAN do through its arguments, not its name: a patch,
// change set or serialized config can delete volumes, so those are destructive. Minting a
// credential handed back to the caller (API token, shell token, SSH key) is destructive too: the
// agent could use it to act outside Airlock and it cannot be taken back once seen.

/** Railway mutations by root field name. */
export const RAILWAY_MUTATIONS: Readonly<Record<string, OperationEntry>> = {
  agentUsageLimitSet: write([id('input.workspaceId', 'workspace')]),
  apiTokenCreate: destructive(
    [id('input.workspaceId', 'workspace')],
    'mints a credential that is handed back to the caller and bypasses Airlock; cannot be ' +
      'taken back once seen',
  ),
  apiTokenDelete: destructive(
    [id('id', 'apiToken')],
    'revokes a token; whatever used it loses access',
  ),
  baseEnvironmentOverride: write([
    id('id', 'deploymentTrigger'),
    id('input.baseEnvironmentOverrideId', 'environment'),
  ]),
  botScopeBindingRemove: destructive([id('id', 'botScopeBinding')]),
  bucketCreate: write([id('input.environmentId', 'environment'), id('input.projectId', 'project')]),
  bucketCredentialsReset: destructive(
    [id('bucketId', 'bucket'), id('environmentId', 'environment'), id('projectId', 'project')],
    'revokes the current S3 credentials; clients still holding them break',
  ),
  bucketUpdate: write([id('id', 'bucket')]),
  cancelPitrHaWorkflow: destructive(
    [id('rootServiceId', 'service'), id('environmentId', 'environment')],
    'aborts a rolling Patroni reconfiguration midway; can leave an HA Postgres cluster ' +
      'half-switched',
  ),
  canvasViewMerge: write([
    id('sourceEnvironmentId', 'environment'),
    id('targetEnvironmentId', 'environment'),
  ]),
  clearPitrHaWorkflowProgress: write([
    id('rootServiceId', 'service'),
    id('environmentId', 'environment'),
  ]),
  cliAuthEventTrack: write([]),
  cliEventTrack: write([
    id('input.serviceId', 'service'),
    id('input.environmentId', 'environment'),
    id('input.projectId', 'project'),
    id('input.workspaceId', 'workspace'),
  ]),
  cloudAgentCreate: write([id('input.environmentId', 'environment')]),
  cloudAgentDelete: destructive([id('id', 'cloudAgent')], 'deletes the agent and its volume'),
  cloudAgentSleep: write([id('id', 'cloudAgent')], 'keeps the volume; only processes stop'),
  cloudAgentStateReport: write([id('input.cloudAgentId', 'cloudAgent')]),
  cloudAgentWake: write([id('id', 'cloudAgent')]),
  customDomainCreate: write([
    id('input.serviceId', 'service'),
    id('input.environmentId', 'environment'),
    id('input.projectId', 'project'),
  ]),
  customDomainDelete: destructive([id('id', 'customDomain')]),
  customDomainIssueCertificate: write([id('id', 'customDomain')]),
  customDomainUpdate: write([id('id', 'customDomain'), id('environmentId', 'environment')]),
  customerCreateFreePlanSubscription: write([id('id', 'customer')]),
  customerTogglePayoutsToCredits: write([id('customerId', 'customer')]),
  deploymentApprove: write([id('id', 'deployment')]),
  deploymentCancel: write(
    [id('id', 'deployment')],
    'stops an in-flight deploy; the running deployment stays',
  ),
  deploymentInstanceExecutionCreate: write([id('input.serviceInstanceId', 'serviceInstance')]),
  deploymentRedeploy: write([id('id', 'deployment')]),
  deploymentRemove: destructive([id('id', 'deployment')]),
  deploymentRestart: write([id('id', 'deployment')]),
  deploymentRollback: destructive(
    [id('id', 'deployment')],
    'puts the image and variables of an older deployment over the current ones',
  ),
  deploymentStop: write(
    [id('id', 'deployment')],
    'takes the service down but keeps data; a redeploy brings it back',
  ),
  deploymentTriggerCreate: write([
    id('input.serviceId', 'service'),
    id('input.environmentId', 'environment'),
    id('input.projectId', 'project'),
  ]),
  deploymentTriggerDelete: destructive([id('id', 'deploymentTrigger')]),
  deploymentTriggerUpdate: write([id('id', 'deploymentTrigger')]),
  disablePitrForHaCluster: destructive(
    [
      id('input.rootServiceId', 'service'),
      id('input.environmentId', 'environment'),
      id('input.projectId', 'project'),
    ],
    'stops WAL archiving: point-in-time recovery is lost from now on (the bucket is kept)',
  ),
  disableServiceCdn: destructive(
    [id('input.serviceId', 'service'), id('input.environmentId', 'environment')],
    'soft-deletes the edge config, edge rules included; re-enabling starts from defaults',
  ),
  dockerComposeImport: write(
    [id('environmentId', 'environment'), id('projectId', 'project')],
    'only adds services and volumes from the YAML',
  ),
  egressGatewayAssociationCreate: write([
    id('input.serviceId', 'service'),
    id('input.environmentId', 'environment'),
  ]),
  egressGatewayAssociationsClear: destructive(
    [id('input.serviceId', 'service'), id('input.environmentId', 'environment')],
    'releases the static egress IPs; the same addresses cannot be got back',
  ),
  egressGatewayHAMigrationPreview: read(
    [id('input.serviceId', 'service'), id('input.environmentId', 'environment')],
    'a preview: computes IPs without applying them',
  ),
  egressGatewayRollbackFromHA: destructive(
    [id('input.serviceId', 'service'), id('input.environmentId', 'environment')],
    'releases the HA static egress IPs; the same addresses cannot be got back',
  ),
  egressGatewayUpgradeToHA: destructive(
    [id('input.serviceId', 'service'), id('input.environmentId', 'environment')],
    'replaces the static egress IP with new ones; allowlists elsewhere break and the old IP ' +
      'is gone',
  ),
  emailChangeConfirm: write([]),
  emailChangeInitiate: write([]),
  enablePitrForHaCluster: write(
    [
      id('input.rootServiceId', 'service'),
      id('input.environmentId', 'environment'),
      id('input.projectId', 'project'),
    ],
    'restarts every cluster member in turn',
  ),
  enableServiceCdn: write([
    id('input.serviceId', 'service'),
    id('input.environmentId', 'environment'),
  ]),
  environmentApplyChangeSet: destructive(
    [id('environmentId', 'environment')],
    'free-form JSON change set can delete services, volumes and variables',
  ),
  environmentCreate: write([
    id('input.sourceEnvironmentId', 'environment'),
    id('input.projectId', 'project'),
  ]),
  environmentDelete: destructive(
    [id('id', 'environment')],
    'deletes every service instance and volume instance in the environment',
  ),
  environmentPatchCommit: destructive(
    [id('environmentId', 'environment')],
    'free-form patch can set `isDeleted` on services and volumes, or drop variables',
  ),
  environmentPatchCommitStaged: destructive(
    [id('environmentId', 'environment')],
    'applies whatever was staged, deletions included; the content is not in this request',
  ),
  environmentPreviewChangeSet: read(
    [id('environmentId', 'environment')],
    'a preview without side effects',
  ),
  environmentRename: write([id('id', 'environment')]),
  environmentStageChanges: destructive(
    [id('environmentId', 'environment')],
    'free-form patch can stage deletions of services and volumes; the later commit carries no ' +
      'content, so this is where it must be judged; `merge: false` also discards staged work',
  ),
  environmentTriggersDeploy: write([
    id('input.serviceId', 'service'),
    id('input.environmentId', 'environment'),
    id('input.projectId', 'project'),
  ]),
  environmentUnskipService: write([id('serviceId', 'service'), id('environmentId', 'environment')]),
  fairUseAgree: write([]),
  featureFlagAdd: write([]),
  featureFlagRemove: write([], 'user-level feature flag; re-adding restores it'),
  generateShellToken: destructive(
    [
      id('input.instanceId', 'deploymentInstance'),
      id('input.serviceId', 'service'),
      id('input.environmentId', 'environment'),
    ],
    'mints a shell session into a running instance and its mounted volume, outside Airlock',
  ),
  githubRepoDeploy: write([
    id('input.environmentId', 'environment'),
    id('input.projectId', 'project'),
  ]),
  githubRepoUpdate: write([
    id('input.serviceId', 'service'),
    id('input.environmentId', 'environment'),
    id('input.projectId', 'project'),
  ]),
  herokuImportVariables: write(
    [
      id('input.herokuAppId', 'herokuApp'),
      id('input.serviceId', 'service'),
      id('input.environmentId', 'environment'),
      id('input.projectId', 'project'),
    ],
    'overwrites same-named variables like `variableUpsert`',
  ),
  integrationCreate: write([
    id('input.integrationAuthId', 'integrationAuth'),
    id('input.projectId', 'project'),
  ]),
  integrationDelete: destructive([id('id', 'integration')]),
  integrationUpdate: write([
    id('id', 'integration'),
    id('input.integrationAuthId', 'integrationAuth'),
    id('input.projectId', 'project'),
  ]),
  inviteCodeUse: write([]),
  jobApplicationCreate: write([]),
  loginSessionAuth: destructive(
    [],
    'authorizes a CLI login: whoever holds the code gets a user token; bypasses Airlock',
  ),
  loginSessionCancel: write([]),
  loginSessionConsume: destructive(
    [],
    'mints a credential that is handed back to the caller and bypasses Airlock; cannot be ' +
      'taken back once seen',
  ),
  loginSessionCreate: write([]),
  loginSessionVerify: write([]),
  notificationDeliveriesMarkAsRead: write([ids('deliveryIds', 'notificationDelivery')]),
  notificationRuleCreate: write([
    id('input.projectId', 'project'),
    id('input.workspaceId', 'workspace'),
  ]),
  notificationRuleDelete: destructive([id('id', 'notificationRule')], 'humans stop being alerted'),
  notificationRuleUpdate: write([id('id', 'notificationRule')]),
  observabilityDashboardCreate: write([id('input.environmentId', 'environment')]),
  observabilityDashboardReset: destructive(
    [id('id', 'observabilityDashboard')],
    'discards custom dashboard items',
  ),
  observabilityDashboardUpdate: destructive(
    [id('id', 'observabilityDashboard')],
    'replaces the whole item list: items left out are deleted',
  ),
  passkeyDelete: destructive([id('id', 'passkey')]),
  pluginCreate: write([id('input.environmentId', 'environment'), id('input.projectId', 'project')]),
  pluginDelete: destructive(
    [id('id', 'plugin'), id('environmentId', 'environment')],
    'deletes the plugin database and its data',
  ),
  pluginReset: destructive(
    [id('id', 'plugin'), id('input.environmentId', 'environment')],
    'resets the plugin container and its variables, wiping its data',
  ),
  pluginResetCredentials: destructive(
    [id('id', 'plugin'), id('input.environmentId', 'environment')],
    'revokes the current credentials; clients holding them break',
  ),
  pluginRestart: write([id('id', 'plugin'), id('input.environmentId', 'environment')]),
  pluginStart: write([id('id', 'plugin'), id('input.environmentId', 'environment')]),
  pluginUpdate: write([id('id', 'plugin')]),
  preferencesUpdate: write([]),
  privateNetworkCreateOrGet: write([
    id('input.environmentId', 'environment'),
    id('input.projectId', 'project'),
  ]),
  privateNetworkEndpointCreateOrGet: write([
    id('input.privateNetworkId', 'privateNetwork'),
    id('input.serviceId', 'service'),
    id('input.environmentId', 'environment'),
  ]),
  privateNetworkEndpointDelete: destructive([id('id', 'privateNetworkEndpoint')]),
  privateNetworkEndpointRename: write([
    id('id', 'privateNetworkEndpoint'),
    id('privateNetworkId', 'privateNetwork'),
  ]),
  privateNetworksForEnvironmentDelete: destructive(
    [id('environmentId', 'environment')],
    'deletes every private network of the environment',
  ),
  projectClaim: write(
    [id('id', 'project'), id('workspaceId', 'workspace')],
    'moves an unclaimed project into a workspace',
  ),
  projectCreate: write([id('input.workspaceId', 'workspace')]),
  projectDelete: destructive(
    [id('id', 'project')],
    'deletes every environment, service and volume of the project',
  ),
  projectFeatureFlagAdd: write([id('input.projectId', 'project')]),
  projectFeatureFlagRemove: write(
    [id('input.projectId', 'project')],
    'feature flag; re-adding restores it',
  ),
  projectInvitationAccept: write([]),
  projectInvitationCreate: write([id('id', 'project')], 'grants a new person access once accepted'),
  projectInvitationDelete: destructive(
    [id('id', 'projectInvitation')],
    'revokes a pending invitation',
  ),
  projectInvitationResend: write([id('id', 'projectInvitation')]),
  projectInviteUser: write([id('id', 'project')]),
  projectLeave: destructive([id('id', 'project')], 'the caller loses access'),
  projectMemberAdd: write(
    [id('input.userId', 'user'), id('input.projectId', 'project')],
    'grants access',
  ),
  projectMemberRemove: destructive(
    [id('input.userId', 'user'), id('input.projectId', 'project')],
    'the member loses access',
  ),
  projectMemberUpdate: write(
    [id('input.userId', 'user'), id('input.projectId', 'project')],
    'role change; can demote, an admin can restore it',
  ),
  projectScheduleDelete: destructive(
    [id('id', 'project')],
    'deletes after a 48 hour grace period unless someone cancels',
  ),
  projectScheduleDeleteCancel: write([id('id', 'project')], 'undoes a scheduled deletion'),
  projectScheduleDeleteForce: destructive(
    [id('id', 'project')],
    'deletes now, skipping the grace period',
  ),
  projectTokenCreate: destructive(
    [id('input.environmentId', 'environment'), id('input.projectId', 'project')],
    'mints a credential that is handed back to the caller and bypasses Airlock; cannot be ' +
      'taken back once seen',
  ),
  projectTokenDelete: destructive(
    [id('id', 'projectToken')],
    'revokes a token; whatever used it loses access',
  ),
  projectTransfer: destructive(
    [id('projectId', 'project'), id('input.workspaceId', 'workspace')],
    'transfers ownership to another workspace',
  ),
  projectTransferConfirm: destructive(
    [
      id('input.ownershipTransferId', 'projectTransfer'),
      id('input.projectId', 'project'),
      id('input.destinationWorkspaceId', 'workspace'),
    ],
    'completes a transfer of ownership',
  ),
  projectTransferInitiate: destructive(
    [id('input.memberId', 'user'), id('input.projectId', 'project')],
    'starts a transfer of ownership to another member',
  ),
  projectTransferToTeam: destructive(
    [id('id', 'project'), id('input.teamId', 'workspace')],
    'transfers ownership to another team',
  ),
  projectUpdate: write([id('id', 'project')]),
  providerAuthRemove: destructive(
    [id('id', 'providerAuth')],
    'unlinks a GitHub or other provider login',
  ),
  purgeServiceCache: write(
    [id('input.serviceId', 'service'), id('input.environmentId', 'environment')],
    'cache only; entries refill on the next request',
  ),
  railwayDomainDnsRecordCreate: write([id('input.workspaceId', 'workspace')]),
  railwayDomainDnsRecordDelete: destructive([
    id('input.recordId', 'railwayDomainDnsRecord'),
    id('input.workspaceId', 'workspace'),
  ]),
  railwayDomainDnsRecordUpdate: write([
    id('input.recordId', 'railwayDomainDnsRecord'),
    id('input.workspaceId', 'workspace'),
  ]),
  railwayDomainNameserversSet: destructive(
    [id('input.id', 'railwayDomain')],
    'redelegates the domain; Railway-served records stop resolving',
  ),
  railwayDomainUpdate: destructive(
    [id('input.id', 'railwayDomain')],
    'turning auto-renew off can let a registered domain expire and be lost',
  ),
  recoveryCodeGenerate: destructive(
    [],
    'invalidates the old 2FA recovery codes and hands new ones to the caller',
  ),
  recoveryCodeValidate: write([]),
  referralInfoUpdate: write([id('input.workspaceId', 'workspace')]),
  sandboxCheckpointCreate: write([id('sandboxId', 'sandbox'), id('environmentId', 'environment')]),
  sandboxCheckpointDelete: destructive([
    id('id', 'sandboxCheckpoint'),
    id('environmentId', 'environment'),
  ]),
  sandboxCheckpointRename: write([
    id('id', 'sandboxCheckpoint'),
    id('environmentId', 'environment'),
  ]),
  sandboxCreate: write([id('input.environmentId', 'environment')]),
  sandboxDestroy: destructive([id('id', 'sandbox'), id('environmentId', 'environment')]),
  sandboxExec: destructive(
    [id('id', 'sandbox'), id('environmentId', 'environment')],
    'runs an arbitrary command; a sandbox in the environment can reach its databases over the ' +
      'private network',
  ),
  sandboxHeartbeat: write([id('id', 'sandbox'), id('environmentId', 'environment')]),
  sandboxTemplateBuild: write([id('environmentId', 'environment')]),
  serviceConnect: write([id('id', 'service')]),
  serviceCreate: write([
    id('input.templateId', 'template'),
    id('input.environmentId', 'environment'),
    id('input.projectId', 'project'),
  ]),
  serviceDelete: destructive(
    [id('id', 'service'), id('environmentId', 'environment')],
    'without `environmentId` it deletes the service in every environment, volumes included',
  ),
  serviceDisconnect: write(
    [id('id', 'service')],
    'unlinks the source repo; `serviceConnect` relinks it',
  ),
  serviceDomainCreate: write([
    id('input.serviceId', 'service'),
    id('input.environmentId', 'environment'),
  ]),
  serviceDomainDelete: destructive([id('id', 'serviceDomain')]),
  serviceDomainUpdate: write([
    id('input.serviceDomainId', 'serviceDomain'),
    id('input.serviceId', 'service'),
    id('input.environmentId', 'environment'),
  ]),
  serviceDuplicate: write(
    [id('serviceId', 'service'), id('environmentId', 'environment')],
    'copies the service and its volumes',
  ),
  serviceFeatureFlagAdd: write([id('input.serviceId', 'service')]),
  serviceFeatureFlagRemove: write(
    [id('input.serviceId', 'service')],
    'feature flag; re-adding restores it',
  ),
  serviceInstanceAutoDeployUpdate: write([
    id('input.serviceId', 'service'),
    id('input.environmentId', 'environment'),
    id('input.projectId', 'project'),
  ]),
  serviceInstanceDeploy: write([id('serviceId', 'service'), id('environmentId', 'environment')]),
  serviceInstanceDeployV2: write([id('serviceId', 'service'), id('environmentId', 'environment')]),
  serviceInstanceLimitsUpdate: write([
    id('input.serviceId', 'service'),
    id('input.environmentId', 'environment'),
  ]),
  serviceInstanceRedeploy: write([id('serviceId', 'service'), id('environmentId', 'environment')]),
  serviceInstanceUpdate: destructive(
    [id('serviceId', 'service'), id('environmentId', 'environment')],
    'sets start and pre-deploy commands that run with the volume mounted, and can move region ' +
      '(a volume migration); without `environmentId` it changes every environment',
  ),
  serviceInstanceVulnRemediationDismiss: write(
    [id('serviceId', 'service'), id('environmentId', 'environment')],
    'cancels a scheduled security redeploy',
  ),
  serviceInstanceVulnRemediationPatchNow: write(
    [id('serviceId', 'service'), id('environmentId', 'environment')],
    'backup then redeploy',
  ),
  serviceRemoveUpstreamUrl: destructive(
    [id('id', 'service')],
    'drops the template upstream link from every instance; the URL is not kept',
  ),
  serviceUpdate: write([id('id', 'service')]),
  sessionDelete: destructive([id('id', 'session')], 'revokes a login session'),
  setServiceUnderAttackMode: write([
    id('input.serviceId', 'service'),
    id('input.environmentId', 'environment'),
  ]),
  setupAgentEventTrack: write([]),
  sharedVariableConfigure: write(
    [
      ids('input.disabledServiceIds', 'service'),
      ids('input.enabledServiceIds', 'service'),
      id('input.environmentId', 'environment'),
      id('input.projectId', 'project'),
    ],
    'toggles which services see a shared variable; the variable itself is kept',
  ),
  signalCreate: write([]),
  signalDefaultSet: write([]),
  signalDelete: destructive([], 'deletes the signal and its audit log'),
  signalReplace: destructive([], 'clears all rules of the signal'),
  signalRollback: destructive([], 'overwrites the current signal state with an earlier snapshot'),
  signalRuleSet: write([]),
  signalRuleUnset: destructive([]),
  sshPublicKeyCreate: destructive(
    [id('input.workspaceId', 'workspace')],
    'registers a key that can log in over native SSH, outside Airlock',
  ),
  sshPublicKeyDelete: destructive([id('id', 'sshPublicKey')]),
  sshSignupApprove: destructive([], 'binds an SSH key to the account: SSH access outside Airlock'),
  tcpProxyCreate: write([
    id('input.serviceId', 'service'),
    id('input.environmentId', 'environment'),
  ]),
  tcpProxyDelete: destructive([id('id', 'tcpProxy')]),
  templateClone: write([id('input.workspaceId', 'workspace')]),
  templateDelete: destructive([id('id', 'template'), id('input.workspaceId', 'workspace')]),
  templateDeploy: write(
    [
      id('input.environmentId', 'environment'),
      id('input.projectId', 'project'),
      id('input.workspaceId', 'workspace'),
    ],
    'only creates new services from the template; names no existing service or volume',
  ),
  templateDeployV2: destructive(
    [
      id('input.existingRootServiceId', 'service'),
      id('input.templateId', 'template'),
      id('input.environmentId', 'environment'),
      id('input.projectId', 'project'),
      id('input.workspaceId', 'workspace'),
    ],
    'free-form serialized config, and `existingRootServiceId` rewrites an existing service ' +
      '(e.g. into an HA cluster)',
  ),
  templateGenerate: write([
    id('input.environmentId', 'environment'),
    id('input.projectId', 'project'),
  ]),
  templatePublish: write([
    id('id', 'template'),
    id('input.demoProjectId', 'project'),
    id('input.workspaceId', 'workspace'),
  ]),
  templateRevert: destructive(
    [
      id('input.rootServiceId', 'service'),
      id('input.environmentId', 'environment'),
      id('input.projectId', 'project'),
    ],
    'reverts an HA cluster to standalone: removes variables and replica services with their ' +
      'volumes',
  ),
  templateServiceSourceEject: write(
    [ids('input.serviceIds', 'service'), id('input.projectId', 'project')],
    'repoints services at a new repo',
  ),
  templateUnpublish: write([id('id', 'template')], 'republishing restores it'),
  templateVolumeUpdate: write(
    [id('serviceId', 'service'), id('templateId', 'template'), id('volumeId', 'volume')],
    'template default only; existing volumes are untouched',
  ),
  trustedDomainCreate: write(
    [id('input.workspaceId', 'workspace')],
    'lets anyone with an email at the domain join the workspace with the role',
  ),
  trustedDomainDelete: destructive([id('id', 'trustedDomain')]),
  trustedDomainRetriggerVerification: write([id('id', 'trustedDomain')]),
  trustedDomainUpdate: write([id('input.id', 'trustedDomain')]),
  twoFactorInfoCreate: write([]),
  twoFactorInfoDelete: destructive([], 'removes 2FA from the account'),
  twoFactorInfoSecret: write([]),
  twoFactorInfoValidate: write([]),
  updateServiceEdgeConfig: write([
    id('input.serviceId', 'service'),
    id('input.environmentId', 'environment'),
  ]),
  updateServiceEdgeRules: destructive(
    [id('input.serviceId', 'service'), id('input.environmentId', 'environment')],
    'replaces the whole rule set; `null` clears it, dropping protections',
  ),
  upsertSlackChannel: write([id('workspaceId', 'workspace')]),
  usageLimitRemove: {
    effect: 'destructive',
    reversible: true,
    targets: [id('input.customerId', 'customer')],
    note: 'removes the spending cap; setting it again restores it',
  },
  usageLimitSet: write([id('input.customerId', 'customer')]),
  userBetaLeave: write([], 'rejoining restores it'),
  userDelete: destructive([], 'deletes the account'),
  userDiscordDisconnect: write([], 'reconnecting restores it'),
  userFlagsRemove: write([id('input.userId', 'user')], 'only the BETA flag exists'),
  userFlagsSet: write([id('input.userId', 'user')]),
  userProfileUpdate: write([]),
  userTermsUpdate: write([]),
  variableCollectionUpsert: destructive(
    [
      id('input.serviceId', 'service'),
      id('input.environmentId', 'environment'),
      id('input.projectId', 'project'),
    ],
    '`replace: true` deletes every variable not in the input',
  ),
  variableDelete: destructive(
    [
      id('input.serviceId', 'service'),
      id('input.environmentId', 'environment'),
      id('input.projectId', 'project'),
    ],
    'the value (often a secret) is gone',
  ),
  variableUpsert: write(
    [
      id('input.serviceId', 'service'),
      id('input.environmentId', 'environment'),
      id('input.projectId', 'project'),
    ],
    'overwrites one value',
  ),
  volumeCreate: write([
    id('input.serviceId', 'service'),
    id('input.environmentId', 'environment'),
    id('input.projectId', 'project'),
  ]),
  volumeDelete: destructive(
    [id('volumeId', 'volume')],
    'the incident: deletes the volume and its backups',
  ),
  volumeInstanceBackupCreate: write([id('volumeInstanceId', 'volumeInstance')]),
  volumeInstanceBackupDelete: destructive([
    id('volumeInstanceBackupId', 'volumeInstanceBackup'),
    id('volumeInstanceId', 'volumeInstance'),
  ]),
  volumeInstanceBackupLock: write(
    [
      id('volumeInstanceBackupId', 'volumeInstanceBackup'),
      id('volumeInstanceId', 'volumeInstance'),
    ],
    'removes the expiration date: keeps the backup longer',
  ),
  volumeInstanceBackupRestore: destructive(
    [
      ids('replicaServiceIds', 'service'),
      id('volumeInstanceBackupId', 'volumeInstanceBackup'),
      id('volumeInstanceId', 'volumeInstance'),
      ids('wipeServiceIds', 'service'),
    ],
    'overwrites the current volume data; `wipeServiceIds` wipes further services',
  ),
  volumeInstanceBackupScheduleUpdate: destructive(
    [id('volumeInstanceId', 'volumeInstance')],
    'an empty `kinds` list stops scheduled backups',
  ),
  volumeInstancePITRRestore: write(
    [id('volumeInstanceId', 'volumeInstance')],
    'restores into a brand-new service; the source is untouched',
  ),
  volumeInstanceUpdate: destructive(
    [
      id('input.serviceId', 'service'),
      id('volumeId', 'volume'),
      id('environmentId', 'environment'),
    ],
    'can change the mount path, move the volume to another service or set its `state`; ' +
      'without `environmentId` it changes every instance',
  ),
  volumeUpdate: write([id('volumeId', 'volume')]),
  webhookTest: write([], 'sends a request to an arbitrary URL'),
  workspaceDelete: destructive([id('id', 'workspace')], 'deletes the workspace and all its data'),
  workspaceInviteCodeCreate: write(
    [id('workspaceId', 'workspace')],
    'the code grants workspace access with the role to whoever holds it',
  ),
  workspaceInviteCodeUse: write([]),
  workspaceLeave: destructive([id('id', 'workspace')], 'the caller loses access'),
  workspacePermissionChange: write(
    [id('input.userId', 'user'), id('input.workspaceId', 'workspace')],
    'role change; can demote, an admin can restore it',
  ),
  workspacePolicyDeploySourceAllowlistAdd: write([id('workspaceId', 'workspace')]),
  workspacePolicyDeploySourceAllowlistRemove: destructive(
    [id('id', 'workspacePolicyDeploySourceAllowlist')],
    'loosens or breaks a deploy-source policy',
  ),
  workspacePolicyItemUpdate: write(
    [id('workspaceId', 'workspace')],
    'can disable a workspace security policy',
  ),
  workspaceTwoFactorEnforcementUpdate: {
    effect: 'destructive',
    reversible: true,
    targets: [id('workspaceId', 'workspace')],
    note: 'can turn 2FA enforcement off for the whole workspace',
  },
  workspaceUpdate: write([id('id', 'workspace')]),
  workspaceUpsertSlackChannel: write([id('id', 'workspace')]),
  workspaceUserInvite: write([id('workspaceId', 'workspace')]),
  workspaceUserRemove: destructive(
    [id('input.userId', 'user'), id('workspaceId', 'workspace')],
    'the member loses access',
  ),
};
