import { createHash } from 'node:crypto';
import type { OpenApiDocument } from './document.ts';

// The reference at /docs is rendered here, on the server, as one HTML page without script: the
// same bytes under `npm start` and behind API Gateway (a Lambda has no node_modules to serve a
// renderer's bundle from), nothing fetched from a CDN, and a CSP that allows nothing but its style.

type Json = Record<string, unknown>;

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2330;background:#fff}
header{padding:1rem 1.5rem;border-bottom:1px solid #dde}
main{display:flex;gap:2rem;padding:0 1.5rem}
nav{flex:0 0 16rem;position:sticky;top:0;align-self:flex-start;max-height:100vh;overflow:auto;padding:1rem 0;font-size:14px}
nav ul{list-style:none;padding-left:.5rem;margin:.25rem 0 1rem}
article{flex:1;min-width:0;padding:1rem 0 4rem}
section.op{border-top:1px solid #dde;padding:1rem 0}
.m{display:inline-block;min-width:4.2em;text-align:center;font:600 12px/1.8 ui-monospace,monospace;border-radius:4px;color:#fff;margin-right:.5em;text-transform:uppercase}
.get{background:#2f6f3e}.post{background:#1f5fa8}.put{background:#8a5a00}.delete{background:#a32d2d}
code,pre{font-family:ui-monospace,monospace;font-size:13px}
pre{background:#f4f5f8;padding:.6rem;overflow:auto;border-radius:4px}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #dde;padding:.25rem .5rem;text-align:left;vertical-align:top}
a{color:#1f5fa8}
@media (max-width:800px){main{display:block}nav{position:static;max-height:none}}
`;

/** The page's Content-Security-Policy: its own inline style, nothing else. */
export const REFERENCE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Escaped text with `code` spans, as the document's descriptions write them. */
function prose(text: string | undefined): string {
  if (text === undefined) return '';
  return esc(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** JSON, escaped, each component `$ref` a link to its schema below. */
function json(value: unknown): string {
  return esc(JSON.stringify(value, null, 2)).replace(/&#34;#\/components\/schemas\/([A-Za-z0-9_]+)&#34;/g, '<a href="#schema-$1">&#34;#/components/schemas/$1&#34;</a>');
}

function anchor(operation: Json): string {
  return `op-${String(operation.operationId)}`;
}

function parametersTable(params: Json[]): string {
  if (params.length === 0) return '';
  const rows = params.map((p) => `<tr><td><code>${esc(String(p.name))}</code></td><td>${esc(String(p.in))}${p.required ? ', required' : ''}</td><td><code>${esc(JSON.stringify(p.schema))}</code></td><td>${prose(p.description as string | undefined)}</td></tr>`);
  return `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>schema</th><th>description</th></tr>${rows.join('')}</table>`;
}

function content(media: Record<string, Json> | undefined): string {
  if (media === undefined) return '';
  return Object.entries(media)
    .map(([type, entry]) => {
      const example = entry.example === undefined ? '' : `<pre>${esc(typeof entry.example === 'string' ? entry.example : JSON.stringify(entry.example, null, 2))}</pre>`;
      return `<p><code>${esc(type)}</code></p><details><summary>schema</summary><pre>${json(entry.schema)}</pre></details>${example}`;
    })
    .join('');
}

function responses(all: Record<string, Json>): string {
  return Object.entries(all)
    .map(([status, r]) => {
      const media = r.content as Record<string, Json> | undefined;
      const jsonMedia = media?.['application/json'];
      const examples = jsonMedia?.examples as Record<string, { value: { error: Json } }> | undefined;
      if (examples !== undefined) {
        const rows = Object.values(examples).map(({ value: { error } }) => `<tr><td><code>${esc(String(error.code))}</code></td><td>${esc(String(error.field ?? ''))}</td><td>${esc(String(error.message))}</td></tr>`);
        return `<h4>${esc(status)}</h4><table><tr><th>code</th><th>field</th><th>example message</th></tr>${rows.join('')}</table>`;
      }
      const headers = r.headers === undefined ? '' : `<p>headers: ${Object.keys(r.headers as Json).map((h) => `<code>${esc(h)}</code>`).join(', ')}</p>`;
      return `<h4>${esc(status)} ${prose(r.description as string)}</h4>${headers}${content(media)}`;
    })
    .join('');
}

function operationSection(path: string, method: string, op: Json): string {
  const security = op.security as Json[];
  const auth = security.length === 0 ? 'no API key' : security.map((s) => Object.keys(s).join('')).join(' or ');
  const body = op.requestBody as Json | undefined;
  return `<section class="op" id="${esc(anchor(op))}">
<h3><span class="m ${esc(method)}">${esc(method)}</span><code>${esc(path)}</code></h3>
<p><strong>${prose(op.summary as string)}</strong> <small>(${esc(auth)})</small></p>
${op.description === undefined ? '' : `<p>${prose(op.description as string)}</p>`}
${parametersTable((op.parameters as Json[] | undefined) ?? [])}
${body === undefined ? '' : `<h4>Request body${body.required ? '' : ' (optional)'}</h4>${content(body.content as Record<string, Json>)}`}
<h4>Responses</h4>${responses(op.responses as Record<string, Json>)}
</section>`;
}

/**
 * Renders the OpenAPI document as one self-contained HTML page: operations by tag with their
 * parameters, bodies, answers, error codes and examples, then the schemas.
 * @example c.html(renderReferencePage(buildOpenApiDocument()))
 */
export function renderReferencePage(doc: OpenApiDocument): string {
  const byTag = new Map<string, { path: string; method: string; op: Json }[]>(doc.tags.map((t) => [t.name, []]));
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = (op.tags as string[])[0] ?? 'other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), { path, method, op }]);
    }
  }
  const nav = [...byTag]
    .map(([tag, ops]) => `<strong>${esc(tag)}</strong><ul>${ops.map(({ path, method, op }) => `<li><a href="#${esc(anchor(op))}">${esc(method.toUpperCase())} ${esc(path)}</a></li>`).join('')}</ul>`)
    .join('');
  const sections = [...byTag]
    .map(([tag, ops]) => {
      const description = doc.tags.find((t) => t.name === tag)?.description;
      return `<h2 id="tag-${esc(tag)}">${esc(tag)}</h2><p>${prose(description)}</p>${ops.map(({ path, method, op }) => operationSection(path, method, op)).join('')}`;
    })
    .join('');
  const schemas = Object.entries(doc.components.schemas)
    .map(([name, schema]) => `<section id="schema-${esc(name)}"><h3>${esc(name)}</h3><pre>${json(schema)}</pre></section>`)
    .join('');
  const info = doc.info as { title: string; version: string; description?: string };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(info.title)} ${esc(info.version)}</title><style>${STYLE}</style></head>
<body><header><h1>${esc(info.title)} <small>${esc(info.version)}</small></h1><p>${prose(info.description)}</p>
<p>OpenAPI ${esc(doc.openapi)} document: <a href="/v1/openapi.json">/v1/openapi.json</a></p></header>
<main><nav>${nav}<strong><a href="#schemas">schemas</a></strong></nav>
<article>${sections}<h2 id="schemas">schemas</h2>${schemas}</article></main></body></html>
`;
}
