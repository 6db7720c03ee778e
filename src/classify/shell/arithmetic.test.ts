import { verifies } from '../../../test/requirements.js';
import { describe, expect, it } from 'vitest';
import { bashRunsIt, describeActions, isHeld, isPlain, judge } from '../../../test/bash-proof.js';

/**
 * Every context where bash evaluates text arithmetically (or as an array subscript) and so runs
 * the `$(…)` it holds: real bash runs `{RUN}` in each, and the classifier holds each.
 */
const EVALUATED = [
  "test -v 'a[$({RUN})]'",
  "[ -v 'a[$({RUN})]' ]",
  "[[ -v 'a[$({RUN})]' ]]",
  "[[ 'a[$({RUN})]' -eq 1 ]]",
  "[[ 1 -lt 'a[$({RUN})]' ]]",
  "let 'a[$({RUN})]'",
  "x='a[$({RUN})]'; (( x ))",
  "x='a[$({RUN})]'; echo $(( x ))",
  "x='a[$({RUN})]'; [[ $x -eq 1 ]]",
  "x='a[$({RUN})]'; [[ x -eq 1 ]]",
  "for ((i='a[$({RUN})]';0;)); do :; done",
  "x='a[$({RUN})]'; for ((i=x;0;)); do :; done",
  "read 'a[$({RUN})]' <<< 1",
  "printf -v 'a[$({RUN})]' x",
  "declare 'a[$({RUN})]=1'",
  "typeset 'a[$({RUN})]=1'",
  "f() { local 'a[$({RUN})]=1'; }; f",
  "a=(1); unset 'a[$({RUN})]'",
  "declare -n r='a[$({RUN})]'; echo $r",
  "x='a[$({RUN})]'; echo ${!x}",
  "echo ${a['$({RUN})']}",
  "x=1; echo ${x:'$({RUN})'}",
  "x=1; echo ${x:0:'$({RUN})'}",
  "x=(1); echo ${x[@]:'$({RUN})'}",
  "a['$({RUN})']=1",
  "x='a[$({RUN})]'; a[x]=1",
  "x='a[$({RUN})]'; echo ${a[x]}",
  "x='a[$({RUN})]'; echo ${x:x}",
  "declare -i x; x='a[$({RUN})]'",
  "declare -i x='a[$({RUN})]'",
  "declare -a a='([$({RUN})]=1)'",
  "f() { (( x )); }; x='a[$({RUN})]'; f",
  "read x <<< 'a[$({RUN})]'; (( x ))",
  "set -- 'a[$({RUN})]'; (( $1 ))",
  "for v in 'a[$({RUN})]'; do (( v )); done",
  'let "a[\\$({RUN})]"',
  "let 'a[`{RUN}`]'",
  "declare -n r; r='a[$({RUN})]'; echo $r",
  "declare -i n; read n <<< 'a[$({RUN})]'",
  "declare -i n; n+='a[$({RUN})]'",
  "x='a[$({RUN})]'; echo $(( ${x} ))",
  "x='$({RUN})'; echo ${x@P}",
  "echo 'a[$({RUN})]' > f; declare -a a=([$(cat f)]=1)",
  "x='a[$({RUN})]'; a=(1); echo ${#a[x]}",
  "x='a[$({RUN})]'; a=(1); echo ${!a[x]}",
];

describe('arithmetic that evaluates array subscripts', () => {
  it.each(EVALUATED)('holds `%s`, which real bash runs', async (template) => {
    verifies('shell.judged-by-what-runs');
    expect(bashRunsIt(template), 'real bash runs the code').toBe(true);
    const actions = await judge(template);
    expect(isHeld(actions), describeActions(actions)).toBe(true);
  });

  it('judges the code a quoted subscript holds, not only a vague unknown', async () => {
    for (const template of [
      "test -v 'a[$({RUN})]'",
      "let 'a[$({RUN})]'",
      "echo ${a['$({RUN})']}",
      "read 'a[$({RUN})]'",
    ]) {
      const actions = await judge(template);
      expect(
        actions.some((action) => action.operation === 'rm' && action.effect === 'destructive'),
        `${template}: ${describeActions(actions)}`,
      ).toBe(true);
    }
  });

  it('holds the output of a command evaluated as arithmetic, unless it can only be a number', async () => {
    expect(bashRunsIt("echo 'a[$({RUN})]' > f; [[ $(cat f) -eq 1 ]]")).toBe(true);
    expect(isHeld(await judge('[[ $(cat f) -eq 1 ]]'))).toBe(true);
    expect(isHeld(await judge('x=$(cat f); (( x > 1 ))'))).toBe(true);
    expect(isPlain(await judge('[[ $(wc -l < f) -gt 3 ]]'))).toBe(true);
    expect(isPlain(await judge('n=$(git ls-files | wc -l); (( n > 3 ))'))).toBe(true);
  });

  it('keeps ordinary arithmetic and variable use plain', async () => {
    const ordinary = [
      'for i in 1 2 3; do echo $((i * 2)); done',
      'i=0; while (( i < 3 )); do (( i++ )); done',
      'for ((i = 0; i < 3; i++)); do echo $i; done',
      'let i=1+2; echo $i',
      '[[ -v HOME ]] && echo set',
      'test -v PATH',
      '[[ $# -gt 0 ]]',
      '[[ ${#files[@]} -eq 0 ]]',
      'read -r line < input.txt',
      "printf -v stamp '%s' hello",
      'arr=(1 2 3); echo ${arr[1]} ${#arr[@]}',
      'x=hello; echo ${x:1:2}',
      'unset x',
      'count=$((count + 1)); echo $count',
      'mapfile -t lines < input.txt',
      'for i in $(seq 1 3); do echo ${arr[$i]}; done',
      'arr=($(ls)); echo ${arr[0]} ${arr[@]:1}',
      'while IFS= read -r line; do echo "$line"; done < input.txt',
      'x=a; echo ${x@Q} ${x^^} ${x:-default} ${x#a}',
      'declare -A m=([a]=1 [b]=2); echo ${m[a]}',
      'declare -a arr=(1 2 3); echo ${arr[1]} ${#arr[@]}',
      'f() { local -a files=($(ls)); echo ${files[0]}; }; f',
    ];
    for (const command of ordinary) {
      const actions = await judge(command);
      expect(isPlain(actions), `${command}: ${describeActions(actions)}`).toBe(true);
    }
  });
});
