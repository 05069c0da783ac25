// Just enough of Go's text/template for the shipped notification templates: {{.a.b}} and
// {{toJson .a.b}}. A missing map key renders "<no value>" as Go does for map data; toJson of
// a missing value renders null (sprig). Anything else fails the test, so a template that
// uses more than this subset is noticed rather than mis-rendered.
export function renderGoTemplate(template: string, data: Record<string, unknown>): string {
  return template.replace(/\{\{\s*(.*?)\s*\}\}/g, (_, expr: string) => {
    const json = /^toJson\s+(\.[\w.-]*)$/.exec(expr);
    if (json) return JSON.stringify(lookup(data, json[1]!) ?? null);
    if (/^\.[\w.-]*$/.test(expr)) {
      const value = lookup(data, expr);
      if (value === undefined || value === null) return '<no value>';
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw new Error(`{{${expr}}} renders a map; use toJson`);
    }
    throw new Error(`unsupported template expression {{${expr}}}`);
  });
}

function lookup(data: unknown, path: string): unknown {
  let node = data;
  for (const key of path.slice(1).split('.').filter(Boolean)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
