import { z } from 'zod';

/**
 * The path of a file holding one secret: absolute, or relative to `$CREDENTIALS_DIRECTORY`
 * (systemd `LoadCredential=`) when set, else to `HOME/credentials`. Only the server's user may
 * read it; the server refuses a file open to anyone else.
 */
export const secretFile = z
  .string()
  .min(1)
  .refine((path) => !/[\0\n\r]/.test(path), 'must be a file path on one line')
  .refine((path) => !path.split('/').includes('..'), 'must not climb out of its folder with `..`');

/**
 * Adds an issue when both `${base}Env` and `${base}File` are set (or, when `required`, when
 * neither is): a secret comes from exactly one place.
 */
export function checkOneSecretSource(
  section: object,
  base: string,
  context: z.RefinementCtx,
  required = false,
): void {
  const fields = section as Readonly<Record<string, unknown>>;
  const count =
    (fields[`${base}Env`] === undefined ? 0 : 1) + (fields[`${base}File`] === undefined ? 0 : 1);
  if (count === 2)
    context.addIssue({
      code: 'custom',
      path: [`${base}File`],
      message: `give one of \`${base}Env\` and \`${base}File\`, not both`,
    });
  if (count === 0 && required)
    context.addIssue({
      code: 'custom',
      path: [`${base}Env`],
      message: `give one of \`${base}Env\` and \`${base}File\``,
    });
}
