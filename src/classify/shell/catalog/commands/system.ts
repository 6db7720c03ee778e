import type { CommandSpecInput } from '../command-schema.js';

/** Commands that look at files, processes, the machine or the network, and print what they find. */
export const SYSTEM_COMMANDS: readonly CommandSpecInput[] = [
  {
    name: 'ls', aliases: ['dir', 'vdir'], package: 'coreutils', effect: 'read', reversible: true, why: 'lists folders',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [{ names: ['-I', '--ignore', '--hide', '-w', '--width', '-T', '--tabsize', '--block-size', '--color', '--format', '--indicator-style', '--quoting-style', '--sort', '--time', '--time-style'], takesValue: true, does: 'harmless', why: 'what to list and how' }],
    examples: [{ command: 'ls -la', effect: 'read' }, { command: 'ls -la /', effect: 'read' }],
  },
  {
    name: 'stat', aliases: ['du', 'df', 'realpath', 'readlink', 'basename', 'dirname', 'pathchk'], package: 'coreutils', effect: 'read', reversible: true,
    why: 'prints facts about paths or names', operands: { default: 'read' }, otherOptions: 'harmless',
    options: [{ names: ['-c', '--format', '--printf', '--max-depth', '--threshold', '-B', '--block-size', '--exclude', '--exclude-from', '--relative-to', '--relative-base', '--suffix', '--time-style', '--type', '--exclude-type'], takesValue: true, does: 'harmless', why: 'format' }],
    examples: [{ command: 'stat package.json', effect: 'read' }, { command: 'du -sh .', effect: 'read' }, { command: 'df -h', effect: 'read' }, { command: 'basename /repo/src/app.ts', effect: 'read' }],
  },
  {
    name: 'file', package: 'file', effect: 'read', reversible: true, why: 'guesses file types',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [
      { names: ['-m', '--magic-file', '-f', '--files-from'], takesValue: true, does: 'reads', why: 'magic rules or names from a file' },
      { names: ['-C', '--compile'], does: 'writes', why: 'compiles a magic file into the working folder' },
      { names: ['-F', '--separator', '-e', '--exclude', '-P', '--parameter'], takesValue: true, does: 'harmless', why: 'format' },
    ],
    examples: [{ command: 'file package.json', effect: 'read' }],
  },
  {
    name: 'tree', package: 'tree', effect: 'read', reversible: true, why: 'prints a folder tree; `-o` writes it to a file',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [
      { names: ['-o'], takesValue: true, does: 'overwrites', why: 'writes the listing to this file' },
      { names: ['-L', '-P', '-I', '--charset', '--filelimit', '--timefmt', '--sort', '-H', '-T', '--fromfile', '--gitfile', '--infofile'], takesValue: true, does: 'harmless', why: 'what to show' },
    ],
    examples: [{ command: 'tree -L 2', effect: 'read' }],
  },
  {
    name: 'fd', aliases: [{ name: 'fdfind', package: 'fd-find' }], package: 'cargo:fd-find', effect: 'read', reversible: true,
    why: 'finds files; `-x`/`-X` run a command on what it finds',
    operands: { default: 'read', positions: { '0': 'data' } }, otherOptions: 'harmless',
    options: [
      { names: ['-x', '--exec', '-X', '--exec-batch'], takesValue: 'rest', does: 'runs', why: 'runs the rest of the line (up to `;`) on each result' },
      { names: ['-e', '--extension', '-t', '--type', '-E', '--exclude', '-d', '--max-depth', '--min-depth', '--exact-depth', '-S', '--size', '--changed-within', '--changed-before', '-o', '--owner', '-j', '--threads', '--max-results', '-c', '--color', '--base-directory', '--path-separator', '--search-path', '--ignore-file', '--format', '--batch-size'], takesValue: true, does: 'harmless', why: 'what to find' },
    ],
    examples: [{ command: 'fdfind app', effect: 'read' }],
  },
  {
    name: 'whoami', aliases: ['id', 'groups', 'uname', 'printenv', 'tty', 'nproc', 'logname', 'users', 'who', 'hostid', 'arch', 'sleep'], package: 'coreutils', effect: 'read', reversible: true,
    why: 'prints facts about the user or the machine, or waits', otherOptions: 'harmless',
    examples: [{ command: 'whoami', effect: 'read' }, { command: 'uname -a', effect: 'read' }, { command: 'sleep 0.1', effect: 'read' }],
  },
  {
    name: 'date', package: 'coreutils', effect: 'read', reversible: true, why: 'prints the time; `-s` would set the system clock', otherOptions: 'harmless',
    options: [
      { names: ['-s', '--set'], takesValue: true, does: 'unknown', why: 'sets the system clock' },
      { names: ['-d', '--date', '-f', '--file', '-r', '--reference', '--rfc-3339', '--iso-8601'], takesValue: true, does: 'harmless', why: 'what date to print' },
    ],
    examples: [{ command: 'date +%s', effect: 'read' }, { command: 'date -d @0', effect: 'read' }],
  },
  {
    name: 'hostname', package: 'hostname', effect: 'read', reversible: true, why: 'prints the host name; an operand sets it, which only root may do', otherOptions: 'harmless',
    options: [{ names: ['-F', '--file'], takesValue: true, does: 'unknown', why: 'sets the host name from a file' }],
    examples: [{ command: 'hostname', effect: 'read' }],
  },
  {
    name: 'which', package: 'debianutils', effect: 'read', reversible: true, why: 'finds commands on PATH; nothing runs', otherOptions: 'harmless',
    examples: [{ command: 'which ls', effect: 'read' }],
  },
  {
    name: 'whereis', aliases: ['lscpu', 'lsblk', 'findmnt', 'last', 'lslogins'], package: 'util-linux', effect: 'read', reversible: true,
    why: 'prints where programs live, or facts about devices, mounts and logins', otherOptions: 'harmless',
    options: [{ names: ['-B', '-M', '-S', '-f', '-o', '--output', '-n', '--limit', '-s', '--since', '-t', '--until'], takesValue: true, does: 'harmless', why: 'what to show (`-o` names columns)' }],
    examples: [{ command: 'whereis ls', effect: 'read' }, { command: 'lscpu', effect: 'read' }],
  },
  {
    name: 'ps', aliases: ['free', 'uptime', 'w', 'vmstat', 'top', 'pgrep', { name: 'pidof', package: 'sysvinit-utils' }, 'pmap', 'pwdx', 'tload', 'slabtop'], package: 'procps', effect: 'read', reversible: true,
    why: 'prints processes and memory; `top` in batch mode prints and exits', otherOptions: 'harmless',
    options: [{ names: ['-o', '-O', '-p', '-u', '-U', '-g', '-G', '-t', '-C', '--sort', '--format', '-n', '-d', '-w', '-F', '-P', '-s'], takesValue: true, does: 'harmless', why: 'which processes and columns' }],
    examples: [{ command: 'ps aux', effect: 'read' }, { command: 'free -m', effect: 'read' }, { command: 'pgrep -l bash', effect: 'read' }, { command: 'top -b -n 1', effect: 'read' }],
  },
  {
    name: 'htop', package: 'htop', effect: 'read', reversible: true, why: 'shows processes interactively; it can send signals only through its interface', otherOptions: 'harmless',
    examples: [{ command: 'htop --version', effect: 'read' }],
  },
  {
    name: 'iostat', package: 'sysstat', effect: 'read', reversible: true, why: 'prints I/O statistics', otherOptions: 'harmless',
    examples: [{ command: 'iostat', effect: 'read' }],
  },
  {
    name: 'nvidia-smi', package: 'vendor:nvidia-driver', effect: 'read', reversible: true,
    why: 'prints GPU state; its setting options (clocks, power, persistence, reset) change the device',
    otherOptions: 'unknown',
    options: [{ names: ['-L', '--list-gpus', '-q', '--query', '-h', '--help', '--version', '-i', '--id', '--query-gpu', '--format', '-l', '--loop', '-d', '--display'], takesValue: false, does: 'harmless', why: 'queries' }],
    examples: [{ command: 'nvidia-smi -L', effect: 'read' }],
  },
  {
    name: 'lsof', package: 'lsof', effect: 'read', reversible: true, why: 'lists open files', otherOptions: 'harmless',
    options: [{ names: ['-p', '-u', '-c', '-g', '-d', '-i', '-s', '-F', '-r', '-T', '-k', '-o'], takesValue: 'optional', does: 'harmless', why: 'what to list' }],
    examples: [{ command: 'lsof -p 1', effect: 'read' }],
  },
  {
    name: 'netstat', aliases: ['arp', 'route'], package: 'net-tools', effect: 'read', reversible: true,
    why: 'prints network state; `route add/del` would change routes (root only)',
    operands: { default: 'data' }, otherOptions: 'harmless', examples: [{ command: 'netstat -tln', effect: 'read' }],
  },
  {
    name: 'ss', package: 'iproute2', effect: 'read', reversible: true, why: 'prints sockets; `-K` kills matching sockets',
    otherOptions: 'harmless',
    options: [
      { names: ['-K', '--kill'], does: 'unknown', why: 'closes the matching sockets' },
      { names: ['-f', '--family', '-A', '--query', '--socket', '-F', '--filter', '-N', '--net'], takesValue: true, does: 'harmless', why: 'which sockets' },
    ],
    examples: [{ command: 'ss -tln', effect: 'read' }],
  },
  {
    name: 'ping', package: 'iputils-ping', effect: 'read', reversible: true, why: 'sends echo requests to a host', otherOptions: 'harmless',
    options: [{ names: ['-c', '-i', '-I', '-s', '-t', '-W', '-w', '-p', '-Q', '-m', '-M', '-l'], takesValue: true, does: 'harmless', why: 'count and timing' }],
    examples: [{ command: 'ping -c 1 127.0.0.1', effect: 'read' }],
  },
  {
    name: 'dig', aliases: ['nslookup', 'delv'], package: 'bind9-dnsutils', effect: 'read', reversible: true, why: 'DNS lookups',
    otherOptions: 'harmless', options: [{ names: ['-f'], takesValue: true, does: 'reads', why: 'queries from a file' }, { names: ['-p', '-t', '-c', '-q', '-x', '-b', '-k', '-y'], takesValue: true, does: 'harmless', why: 'query' }],
    examples: [{ command: 'dig +short localhost', effect: 'read' }],
  },
  {
    name: 'host', package: 'bind9-host', effect: 'read', reversible: true, why: 'DNS lookups', otherOptions: 'harmless',
    options: [{ names: ['-t', '-c', '-N', '-R', '-W', '-m'], takesValue: true, does: 'harmless', why: 'query' }],
    examples: [{ command: 'host localhost', effect: 'read' }],
  },
  {
    name: 'man', package: 'man-db', effect: 'read', reversible: true, why: 'formats and prints manual pages; `-P`, `-H` and `-X` run programs of the caller’s choice',
    otherOptions: 'harmless',
    options: [
      { names: ['-P', '--pager'], takesValue: true, does: 'runs', why: 'shows the page with this program' },
      { names: ['-H', '--html'], takesValue: 'optional', does: 'runs', why: 'shows the page in this browser' },
      { names: ['-X', '--gxditview'], takesValue: 'optional', does: 'runs-code', why: 'starts an X viewer' },
      { names: ['-C', '--config-file'], takesValue: true, does: 'unknown', why: 'a configuration file that names the programs man runs' },
      { names: ['-M', '--manpath', '-S', '-s', '--sections', '-L', '--locale', '-m', '--systems', '-e', '--extension', '-E', '--encoding', '-T', '--troff-device', '-p', '--preprocessor', '-R', '--recode'], takesValue: true, does: 'harmless', why: 'which page and how to format it' },
    ],
    examples: [{ command: 'man -w ls', effect: 'read' }, { command: 'man -P cat ls', effect: 'read' }],
  },
  {
    name: 'cal', aliases: ['ncal'], package: 'ncal', effect: 'read', reversible: true, why: 'prints a calendar', otherOptions: 'harmless',
    examples: [{ command: 'cal', effect: 'read' }],
  },
  {
    name: 'tput', aliases: ['clear', 'reset', 'tset', 'infocmp', 'toe'], package: 'ncurses-bin', effect: 'read', reversible: true,
    why: 'prints terminal control sequences (`clear`, `reset` re-initialise the terminal)', otherOptions: 'harmless',
    options: [{ names: ['-T'], takesValue: true, does: 'harmless', why: 'terminal type' }],
    examples: [{ command: 'tput cols', effect: 'read' }, { command: 'clear', effect: 'read' }],
  },
  {
    name: 'stty', package: 'coreutils', effect: 'read', reversible: true, why: 'prints or sets the terminal’s line settings; nothing on disk', otherOptions: 'harmless',
    options: [{ names: ['-F', '--file'], takesValue: true, does: 'harmless', why: 'which terminal' }],
    examples: [{ command: 'stty -a < /dev/null || true', effect: 'read' }],
  },
  {
    name: 'locale', aliases: ['getconf', 'getent', 'ldd'], package: 'libc-bin', effect: 'read', reversible: true,
    why: 'prints locale, system settings and user database entries; `ldd` lists a binary’s libraries', operands: { default: 'read' }, otherOptions: 'harmless',
    examples: [{ command: 'locale', effect: 'read' }, { command: 'getconf PAGE_SIZE', effect: 'read' }],
  },
  {
    name: 'lsb_release', package: 'lsb-release', effect: 'read', reversible: true, why: 'prints the distribution', otherOptions: 'harmless',
    examples: [{ command: 'lsb_release -a', effect: 'read' }],
  },
  {
    name: 'sw_vers', package: 'macos', effect: 'read', reversible: true, why: 'prints the macOS version', otherOptions: 'harmless',
    examples: [{ command: 'sw_vers', effect: 'read' }],
  },
];
