import { describe, expect, it } from 'vitest';
import type { Effect } from '../../../core/index.js';
import { classifyShellCommand } from '../index.js';

const ORDER: readonly Effect[] = ['read', 'write', 'execute', 'destructive', 'unknown'];
async function verdict(command: string): Promise<Effect> {
  const actions = await classifyShellCommand(command, '/repo', 'shell');
  return actions
    .map((action) => action.effect)
    .reduce((a, b) => (ORDER.indexOf(b) > ORDER.indexOf(a) ? b : a), 'read' as Effect);
}

/** [command, effect]: what each option or operand makes of a command once judged as `ls`-like by name. */
const CASES: readonly (readonly [string, Effect])[] = [
  // Options that write: every spelling getopt accepts.
  ['sort src/app.ts', 'read'],
  ['sort -o out.txt src/app.ts', 'write'],
  ['sort -o .env src/app.ts', 'destructive'],
  ['sort -o/etc/passwd src/app.ts', 'destructive'],
  ['sort -uo /etc/passwd src/app.ts', 'destructive'],
  ['sort -uo.env src/app.ts', 'destructive'],
  ['sort --output=/etc/hosts src/app.ts', 'destructive'],
  ['sort --output /etc/hosts src/app.ts', 'destructive'],
  ['sort --out=.env src/app.ts', 'destructive'],
  ['sort --o=.env src/app.ts', 'destructive'], // getopt_long takes `--o` for `--output`, sort's only long option starting with o
  ['sort -- -o .env', 'read'],
  ['shuf -o ~/.bashrc src/app.ts', 'destructive'],
  ['iconv -f utf-8 -t ascii -o /etc/motd src/app.ts', 'destructive'],
  // Operands that are written.
  ['uniq in.txt out.txt', 'write'],
  ['uniq in.txt .env', 'destructive'],
  ['uniq -f 1 in.txt /etc/passwd', 'destructive'],
  ['xxd -r dump.hex /etc/passwd', 'destructive'],
  ['chmod -R 777 /etc', 'destructive'],
  ['chmod -R u+w src', 'write'],
  ['mkdir -p build/out', 'write'],
  // Options that run programs or shell code.
  ['sort --compress-program=gzip src/app.ts', 'write'],
  ["sort --compress-program='rm -rf ~' src/app.ts", 'destructive'],
  ["tar -cf /tmp/a.tar --checkpoint=1 --checkpoint-action=exec='rm -rf ~' src", 'unknown'],
  ["tar --to-command='rm -rf ~' -xf /tmp/a.tar", 'destructive'],
  ["tar -I 'rm -rf ~' -cf /tmp/a.tar src", 'destructive'],
  ["tar --use-comp='rm -rf ~' -cf /tmp/a.tar src", 'destructive'],
  ["tar -cf /tmp/a.tar -F 'rm -rf ~' src", 'destructive'],
  ['tar --rsh-command=/tmp/evil -cf host:/a.tar src', 'unknown'],
  ['tar czf /tmp/src.tgz src', 'write'],
  ['tar tzf /tmp/src.tgz', 'read'],
  ['tar -xzf /tmp/src.tgz', 'write'],
  ['tar -xzf /tmp/src.tgz -C /etc', 'destructive'],
  ['tar xzf /tmp/src.tgz --directory=/usr', 'destructive'],
  ['tar czf /tmp/src.tgz --remove-files src', 'destructive'],
  ['tar czf .env src', 'destructive'],
  ['tar -czvf .env src', 'destructive'],
  ['tar -xzvf /tmp/src.tgz -C /etc', 'destructive'],
  ['tar --frobnicate -cf /tmp/a.tar src', 'unknown'],
  ["vim -c '!rm -rf ~' src/app.ts", 'unknown'],
  ["vim +'!rm -rf ~' src/app.ts", 'unknown'],
  ["vim --cmd 'silent !rm -rf ~' src/app.ts", 'unknown'],
  ['vim -S evil.vim', 'unknown'],
  ['nvim -l evil.lua', 'unknown'],
  ['emacs --eval \'(delete-directory "~" t)\'', 'unknown'],
  ['emacs -l evil.el', 'unknown'],
  ["less '+!rm -rf ~' src/app.ts", 'unknown'],
  ['less -O .env src/app.ts', 'destructive'],
  ["man -P 'rm -rf ~' ls", 'destructive'],
  ['man -Hfirefox ls', 'unknown'],
  ["zip -r /tmp/a.zip src -TT 'rm -rf ~'", 'destructive'],
  ["zip -r /tmp/a.zip src --unzip-command='rm -rf ~'", 'destructive'],
  ['zip -m /tmp/a.zip .env', 'destructive'],
  ["rsync -a -e 'rm -rf ~' src/ host:/srv/", 'destructive'],
  ["rsync -a -e 'ssh -p 2222' src/ host:/srv/", 'write'],
  ["rg --pre 'rm -rf' TODO src", 'unknown'],
  ['fd -x rm -rf', 'unknown'],
  ['fd -e log -x cat', 'read'],
  ["hyperfine 'rm -rf ~'", 'destructive'],
  ["hyperfine --prepare 'rm -rf ~' 'sleep 0.1'", 'destructive'],
  ["split --filter='rm -rf ~' src/app.ts", 'destructive'],
  ["git rebase --exec 'rm -rf ~' main", 'destructive'],
  ['git diff --output=.env', 'destructive'],
  ["git fetch --upload-pack='touch /tmp/x' origin", 'unknown'],
  ['git --exec-path=./bin status', 'unknown'],
  ["sed 's/x/rm -rf ~/e' src/app.ts", 'unknown'],
  ["sed 'w /etc/passwd' src/app.ts", 'unknown'],
  ["sed -i 's/foo/bar/' src/app.ts", 'write'],
  ['find . -name "*.ts" -fprint .env', 'destructive'],
  // Compilers: the output is judged by the loss rules, and -B/-wrapper run programs.
  ['gcc -o build/app main.c', 'write'],
  ['gcc -o .env main.c', 'destructive'],
  ['gcc -obuild/app main.c', 'write'],
  ['gcc -B./evil main.c', 'unknown'],
  ["gcc -wrapper 'rm,-rf,~' main.c", 'unknown'],
  ['pdflatex -shell-escape doc.tex', 'unknown'],
  ['pandoc -o /etc/motd README.md', 'destructive'],
  ['pandoc --lua-filter=x.lua README.md', 'unknown'],
  ['dc -e "!rm -rf ~"', 'unknown'],
  // Tools that run project code are execute, not write.
  ['cargo build', 'execute'],
  ['pytest -x tests', 'execute'],
  ['vitest run', 'execute'],
  ['go test ./...', 'execute'],
  ['mvn package', 'execute'],
  ['cargo --version', 'read'],
  ['gzip -c src/app.ts', 'read'],
  ['gzip build/app.log', 'write'],
];

describe('commands judged by what their options and operands do', () => {
  it.each(CASES)('%s → %s', async (command, effect) => {
    expect(await verdict(command)).toBe(effect);
  });
});
