// CloudFormation's DefinitionSubstitutions, the one rule every local tool here shares: each `${Name}` whose Name is
// a key of the map is replaced by the map's value, as text, before the definition is parsed. Placeholders with no
// entry are left as they are (CloudFormation does the same); `placeholders` lists them for the consistency checks.

const PLACEHOLDER = /\$\{([^}]+)\}/g;

/** The definition text with every `${Name}` that `map` names replaced by `map[Name]` (a string, inserted as is). */
export function applySubstitutions(definitionText, map) {
  return definitionText.replace(PLACEHOLDER, (placeholder, name) =>
    Object.hasOwn(map, name) ? String(map[name]) : placeholder);
}

/** The distinct placeholder names used in a definition, in order of first use. */
export function placeholders(definitionText) {
  return [...new Set(Array.from(definitionText.matchAll(PLACEHOLDER), (match) => match[1]))];
}
