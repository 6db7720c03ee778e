/** The commented airlock.yaml that `airlock init` writes; every value shown is the default. */
export const STARTER_CONFIG = `# Airlock configuration. Every value below is the default; delete what you do not change.
# Validate with any airlock command: a field Airlock does not know is refused, not ignored.
version: 1

# Where grants, denials and the audit chain live. "sqlite" is embedded (WAL, zero setup);
# the file is relative to this folder.
store:
  kind: sqlite
  file: airlock.db

# Cedar policies (*.cedar) and their test cases (*.test.yaml), relative to this folder.
# \`airlock policy test policies\` runs the cases.
policy:
  dir: policies

# Environment names that count as production. A target whose environment is unknown
# always counts as production.
environments:
  production: [production, prod]

# The most distinct human approvals a held request could gather. A request that the policy
# would not allow even with this many is denied instead of held.
approvals:
  obtainable: 2
  # How long a held request waits for approvers (and an approved one for the agent's retry).
  ttl: 1h
  # One deny ends an approval.
  denyEndsIt: true
  # Whether the human who owns an agent may approve its held requests.
  ownerMayApprove: false

# Token lifetimes (90s, 10m, 8h, 30d).
tokens:
  defaultTtl: 8h
  maxTtl: 30d

# This many denials within the window freeze a token until a human runs
# \`airlock token unfreeze GRANT_ID\`.
freeze:
  maxDenials: 5
  window: 10m

# Signed checkpoints of the audit chain (docs/audit.md): \`airlock serve\` signs the chain's head
# into audit-checkpoints.jsonl every N records or T, and copies each to the witnesses: file
# (another mount), syslog, or http. \`airlock audit verify --witness FILE\` compares.
audit:
  checkpoint:
    everyRecords: 100
    every: 10s
    witnesses: []
#      - kind: file
#        path: /mnt/audit-witness/airlock-checkpoints.jsonl

# Upstreams Airlock guards. Credentials are named, never inlined: credentialFile names a file in
# credentials/ (or $CREDENTIALS_DIRECTORY under systemd) only the server may read; credentialEnv
# names a variable, for development. \`airlock config show\` prints only whether they are there.
upstreams: {}
#  railway:
#    kind: graphql
#    platform: railway                 # the default: Railway's catalog, and asking Railway where targets live
#    url: https://backboard.railway.com/graphql/v2
#    credentialFile: railway-token      # or credentialEnv: RAILWAY_API_TOKEN
#    credentialHeader: authorization   # or project-access-token for a Railway project token
`;
