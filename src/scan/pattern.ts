// Glob-like name patterns of the policy file (repository roles, ignores): `*` stands for any run of characters.

/** True when `value` matches `pattern` as a whole (`*` any run of characters, including `/`). */
export function matchesPattern(pattern: string, value: string): boolean {
  const parts = pattern.split("*");
  const first = parts[0] ?? "";
  const last = parts[parts.length - 1] ?? "";
  if (parts.length === 1) return value === pattern;
  if (!value.startsWith(first) || !value.endsWith(last) || value.length < first.length + last.length) {
    return false;
  }
  // Greedy from the left is enough: each middle part only has to appear after the previous one.
  let at = first.length;
  for (const part of parts.slice(1, -1)) {
    const found = value.indexOf(part, at);
    if (found === -1 || found + part.length > value.length - last.length) return false;
    at = found + part.length;
  }
  return true;
}
