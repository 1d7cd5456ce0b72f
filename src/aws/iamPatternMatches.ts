const SPECIAL = /[.+^${}()|[\]\\]/g;

/**
 * IAM wildcard match of a whole value: `*` is any run of characters, `?` any one character
 * (actions, resources, StringLike). Case-sensitive unless `ignoreCase` (actions are not case-sensitive).
 */
export const iamPatternMatches = (pattern: string, value: string, ignoreCase = false): boolean => {
  const source = pattern.replace(SPECIAL, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
};
