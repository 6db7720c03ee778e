// Operators of core PostgreSQL (and the common contrib modules) whose implementations are
// built-in functions (test/pg-catalog-functions.test.ts checks a real server's core operators
// are all here and none is implemented by a volatile function). A user can define new operator
// symbols backed by any function, so a symbol not listed here, or any operator qualified with a
// schema other than pg_catalog (`OPERATOR(public.=)`), is treated like a call to an unknown
// function. psql qualifies its operators (`OPERATOR(pg_catalog.~)`), which is the same symbol.
const BUILTIN_OPERATORS: ReadonlySet<string> = new Set(
  `= <> != < > <= >= + - * / % ^ |/ ||/ ! !! @ & | # ~ << >> || ~~ ~~* !~~ !~~* ~* !~ !~*
  @> <@ && -> ->> #> #>> #- ? ?| ?& @? @@ @@@ <-> <<| |>> &< &> <<= >>= -|- ?# ?- ?-| ?|| ##
  <^ >^ ~= &<| |&> ^@ <% %> <<% %>> <<-> <->> ~>=~ ~<=~ ~>~ ~<~ @-@ *= *<> *< *<= *> *>=`
    .split(/\s+/)
    .filter((symbol) => symbol !== ''),
);

/** Whether an operator, by its parsed name (`["="]`, `["pg_catalog", "="]`), is a built-in. */
export function isBuiltinOperator(name: readonly string[]): boolean {
  const [first, second] = name;
  if (name.length === 1 && first !== undefined) return BUILTIN_OPERATORS.has(first);
  return (
    name.length === 2 &&
    first === 'pg_catalog' &&
    second !== undefined &&
    BUILTIN_OPERATORS.has(second)
  );
}
