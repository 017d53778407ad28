/** Resolves `${name}` placeholders of fixture values from the run (e.g. `${providerMock}`); unknown ones fail. */
export function resolvePlaceholders(text: string, values: Record<string, string>, where: string): string {
  return text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`resolve placeholder: \${${name}} has no value (${where})`);
    return value.replace(/\/+$/, '');
  });
}
