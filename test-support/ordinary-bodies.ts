import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { deflateSync, gzipSync } from "node:zlib";

/**
 * Request bodies of ordinary web apps, which "Block common exploits" must let through: JSON APIs
 * whose strings hold prose, markdown and code; HTML forms with quotes and apostrophes; XML and
 * SOAP; GraphQL; multipart uploads with real binary files (made here, deterministically).
 *
 * Add a body here whenever a false positive in a body is reported: the test prints the rule that fired.
 */
export interface OrdinaryBody {
  title: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const FORM_TYPE = { "content-type": "application/x-www-form-urlencoded" };

const PROSE = [
  "Hi team, I can't log in since yesterday's update. I've tried resetting my password twice; the e-mail says \"link expired\". Could you take a look?",
  "We'd love to select a plan that fits: union members get 20% off, right? Drop me a line at jane.o'brien@example.com.",
  "Meeting notes -- 1) update the roadmap; 2) delete old drafts; 3) insert the new logo into the header. Next sync: Tuesday 10:00.",
  "The 'Rock 'n' roll' playlist is 3 hours long -- is that OK for the party? Let me know if you'd prefer jazz or classical.",
  "Please don't drop the table tennis tournament from the schedule; the kids are looking forward to it (and so am I!).",
  "Order #1042 arrived damaged: the box was crushed & two cups were broken. I'd like a refund or a replacement, whichever's faster.",
  "Réunion à 14h — merci d'apporter vos ordinateurs. ¿Dónde está la sala? 会議室は3階です。Встреча в 15:00.",
  "5 < 7 and 9 > 3, so the condition a < b && c > d holds; 1 = 1 is trivially true, as any maths teacher will tell you.",
  "Our SLA: if uptime < 99.9% in a month, you get a 10% credit. Or, if you prefer, a full refund for that month.",
  "Sleep (8 hours) and benchmark results: the new laptop compiles the project in 3 min, the old one in 7 -- worth the upgrade.",
  "Is it \"select all that apply\" or 'select one'? The form's wording confuses people; let's A/B test both versions.",
  "Wait... what? The script ran at 3am and emailed everyone -- sorry about that! It's fixed now; the cron job was set to * * * * *.",
];

const CODE_SNIPPETS = [
  "```js\nconst total = items.reduce((sum, item) => sum + item.price * item.quantity, 0);\nconsole.log(`Total: ${total.toFixed(2)}`);\n```",
  '```python\ndef greet(name: str) -> str:\n    return f"Hello, {name}!"\n\nif __name__ == "__main__":\n    print(greet(\'world\'))\n```',
  "```sql\nSELECT id, name, created_at FROM orders WHERE customer_id = 42 AND status = 'shipped' ORDER BY created_at DESC LIMIT 10;\n```",
  "```sql\n/* monthly report */\nSELECT region,\n  SUM(CASE WHEN status = 'paid' THEN total ELSE 0 END) AS paid -- only paid orders\nFROM orders\nWHERE created_at >= now() - interval '1 month'\nGROUP BY region;\n```",
  '```bash\nnpm install --save-dev vitest\ngit commit -m "Fix the login form\'s error message"\ndocker compose up -d\n```',
  "```css\n.button:hover { background: #0b5fff; box-shadow: 0 0 0 3px rgba(11, 95, 255, .3); }\n@media (max-width: 600px) { .nav { display: none; } }\n```",
  "```go\nfunc main() {\n\tif err := run(); err != nil {\n\t\tlog.Fatal(err)\n\t}\n}\n```",
  "```ts\nexport function clamp(value: number, min = 0, max = 1): number {\n  return Math.min(max, Math.max(min, value));\n}\n```",
  "Use `Array.prototype.map` rather than a `for` loop, and `Object.keys(obj).length === 0` to test for an empty object.",
  '```yaml\nservices:\n  web:\n    image: nginx:1.25\n    ports: ["8080:80"]\n```',
  '```rust\nfn main() {\n    let v: Vec<i32> = (1..=10).filter(|n| n % 2 == 0).collect();\n    println!("{:?}", v);\n}\n```',
];

const MARKDOWN = `# Release notes 2.4

## What's new
- **Faster search**: results now load in < 200 ms.
- *Dark mode* follows your system's setting.
- Links like [our docs](https://docs.example.com/guide?section=setup#install) open in a new tab.

> "It's the little things" -- a happy customer

| Plan | Price |
| --- | --- |
| Free | $0 |
| Pro | $12/month |

![Screenshot](https://cdn.example.com/img/release-2.4.png "New dashboard")
`;

function json(title: string, value: unknown, contentType = "application/json"): OrdinaryBody {
  return { title, headers: { "content-type": contentType }, body: Buffer.from(JSON.stringify(value)) };
}

function form(title: string, fields: Record<string, string>): OrdinaryBody {
  return { title, headers: FORM_TYPE, body: Buffer.from(new URLSearchParams(fields).toString()) };
}

function text(title: string, contentType: string, body: string, extra: IncomingHttpHeaders = {}): OrdinaryBody {
  return { title, headers: { "content-type": contentType, ...extra }, body: Buffer.from(body) };
}

// ------------------------------------------------------------------------------------------------
// Binary files, made here so that the uploads below carry real formats
// ------------------------------------------------------------------------------------------------

/** Deterministic bytes that look like compressed data (every byte value, no structure). */
function noise(length: number, seed: string): Buffer {
  const out = Buffer.alloc(length);
  let block = Buffer.alloc(0);
  for (let at = 0, counter = 0; at < length; at += block.length, counter++) {
    block = createHash("sha256").update(`${seed}:${counter}`).digest();
    block.copy(out, at, 0, Math.min(block.length, length - at));
  }
  return out;
}

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** A real PNG: a gradient with noise, deflated as PNG requires. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const grain = noise(width * height * 3, "png");
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width * 3; x++) row[1 + x] = (x + y * 3 + grain[y * width * 3 + x]! / 4) & 0xff;
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A JPEG's markers around entropy-coded noise (what a photo's bytes look like). */
function jpeg(size: number): Buffer {
  const start = Buffer.from("ffd8ffe000104a46494600010100000100010000ffdb004300", "hex");
  return Buffer.concat([start, noise(size, "jpeg"), Buffer.from("ffd9", "hex")]);
}

/** A one-page PDF with a deflated content stream. */
function pdf(): Buffer {
  const stream = deflateSync(Buffer.from("BT /F1 24 Tf 72 720 Td (Quarterly report: revenue up 12%, costs down 3%) Tj ET\n".repeat(40)));
  return Buffer.concat([
    Buffer.from(
      "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n",
      "latin1",
    ),
    Buffer.from(
      `3 0 obj << /Type /Page /Parent 2 0 R /Contents 4 0 R >> endobj\n4 0 obj << /Length ${stream.length} /Filter /FlateDecode >> stream\n`,
      "latin1",
    ),
    stream,
    Buffer.from("\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n", "latin1"),
  ]);
}

/** A zip archive with one stored and one deflated file. */
function zip(): Buffer {
  const entries = [
    { name: "notes.txt", data: Buffer.from("Shopping list: eggs, milk, 'good' coffee & bread.\n"), method: 0 },
    { name: "photo.png", data: png(32, 32), method: 8 },
  ];
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const stored = entry.method === 8 ? deflateSync(entry.data).subarray(2, -4) : entry.data; // raw deflate
    const name = Buffer.from(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(entry.method, 8);
    local.writeUInt32LE(crc32(entry.data), 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(entry.method, 10);
    central.writeUInt32LE(crc32(entry.data), 16);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, stored);
    centrals.push(central, name);
    offset += local.length + name.length + stored.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

interface Part {
  name: string;
  value: string | Buffer;
  fileName?: string;
  type?: string;
}

function multipart(title: string, parts: Part[], boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW"): OrdinaryBody {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.fileName !== undefined) head += `; filename="${part.fileName}"`;
    if (part.type !== undefined) head += `\r\nContent-Type: ${part.type}`;
    chunks.push(Buffer.from(`${head}\r\n\r\n`), Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value), Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { title, headers: { "content-type": `multipart/form-data; boundary=${boundary}` }, body: Buffer.concat(chunks) };
}

// ------------------------------------------------------------------------------------------------
// The corpus
// ------------------------------------------------------------------------------------------------

const jsonBodies: OrdinaryBody[] = [
  json("support ticket", { subject: "Can't log in", message: PROSE[0], priority: "high", tags: ["login", "password-reset"] }),
  ...PROSE.map((message, index) =>
    json(`comment ${index}`, { postId: 1000 + index, author: { name: "Jane O'Brien", email: "jane@example.com" }, body: message, draft: false }),
  ),
  ...CODE_SNIPPETS.map((snippet, index) =>
    json(`forum answer with code ${index}`, {
      questionId: 77 + index,
      body: `Here's how I'd do it:\n\n${snippet}\n\nHope that helps!`,
      accepted: index % 2 === 0,
    }),
  ),
  json("markdown release notes", { title: "Release 2.4", body: MARKDOWN, published: true }),
  json("profile update", {
    firstName: "Zoë",
    lastName: "D'Angelo",
    bio: 'Coffee, code & cats. "Ship it" is my motto.',
    website: "https://zoe.example.com/?ref=profile",
    timezone: "Europe/Paris",
  }),
  json("address", { street: "12 O'Connell St.", city: "Dublin", postcode: "D01 F5P2", notes: "Ring twice; the bell's broken (sorry!)" }),
  json("checkout", {
    cart: [
      { sku: "TSHIRT-RED-M", qty: 2, price: 19.99 },
      { sku: "MUG-001", qty: 1, price: 9.5 },
    ],
    coupon: "SPRING-20",
    giftMessage: "Happy b'day <3 -- love, Sam & Alex",
  }),
  json("search filters", { q: "union station", filters: { price: { min: 10, max: 200 }, brand: ["Acme", "O'Neill"] }, sort: "price:asc", page: 2 }),
  json("analytics batch", {
    events: Array.from({ length: 20 }, (_, i) => ({
      type: i % 3 === 0 ? "page_view" : "click",
      path: `/products/${i}?color=blue&size=m`,
      ts: 1714000000000 + i * 1000,
      referrer: "https://www.google.com/",
    })),
  }),
  json("settings with regex and template", {
    emailPattern: "^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$",
    greeting: "Hello {{firstName}}, your order {{orderId}} has shipped.",
    dateFormat: "YYYY-MM-DD HH:mm",
  }),
  json("webhook from a payment provider", {
    id: "evt_1OaBcD2eZvKYlo2C",
    type: "charge.succeeded",
    data: {
      object: {
        id: "ch_3OaBcD",
        amount: 2000,
        currency: "eur",
        description: "Order #1042 -- 2x T-shirt",
        receipt_email: "o'neil@example.com",
        metadata: { orderId: "1042" },
      },
    },
  }),
  json("nested and unicode", {
    i18n: { de: "Größe wählen", ja: "サイズを選択", ar: "اختر المقاس", emoji: "🎉👍" },
    escaped: 'line one\nline two\ttabbed \u00e9\u00e8 "quoted" back\\slash',
  }),
  json("JSON-RPC", { jsonrpc: "2.0", method: "tasks.update", params: { id: 7, title: "Select the venue & order the catering", done: false }, id: 3 }),
  json(
    "JSON:API",
    { data: { type: "articles", id: "1", attributes: { title: "Why we drop support for IE11", body: "It's 2024; usage is < 0.1%." } } },
    "application/vnd.api+json",
  ),
  json(
    "problem+json style report",
    {
      type: "https://example.com/probs/out-of-credit",
      title: "You do not have enough credit.",
      detail: "Your current balance is 30, but that costs 50.",
      instance: "/account/12345/msgs/abc",
    },
    "application/problem+json",
  ),
  json(
    "CSP report",
    {
      "csp-report": {
        "document-uri": "https://app.example.com/settings",
        "violated-directive": "script-src-elem",
        "blocked-uri": "https://cdn.thirdparty.example/widget.js",
        "source-file": "https://app.example.com/static/app.js",
        "line-number": 42,
      },
    },
    "application/csp-report",
  ),
  json("array of numbers and booleans", [1, 2, 3.5, -4e10, true, false, null, { ok: true }]),
  json("rich text editor delta", {
    ops: [
      { insert: "Hello " },
      { insert: "world", attributes: { bold: true } },
      { insert: "\n", attributes: { header: 2 } },
      { insert: "Visit https://example.com/a?b=c&d=e for more.\n" },
    ],
  }),
  json("HTML from a rich text editor", {
    html: '<p>Thanks for the <strong>quick</strong> reply! See <a href="https://example.com/docs">the docs</a>.</p><ul><li>One</li><li>Two</li></ul>',
    plain: "Thanks for the quick reply!",
  }),
  json("base64 avatar", { fileName: "avatar.png", contentType: "image/png", data: png(16, 16).toString("base64") }),
  json("JWT and ids", {
    idToken:
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    deviceId: "3f2a9c1e-8b7d-4e2f-a1c3-5d6e7f8a9b0c",
    nonce: "n-0S6_WzA2Mj",
  }),
  json("GraphQL query", {
    query:
      "query GetUser($id: ID!) {\n  user(id: $id) {\n    name\n    posts(first: 10, orderBy: {field: CREATED_AT, direction: DESC}) { edges { node { title } } }\n  }\n}",
    variables: { id: "42" },
    operationName: "GetUser",
  }),
  json("GraphQL mutation", {
    query: "mutation AddComment($input: AddCommentInput!) { addComment(input: $input) { comment { id body } } }",
    variables: { input: { postId: "9", body: "Great post -- I'd add that 'or' and 'and' bind differently in SQL & Python!" } },
  }),
  json("error report with a stack trace", {
    platform: "python",
    exception: {
      values: [
        {
          type: "KeyError",
          value: "'user_id'",
          stacktrace: {
            frames: [
              {
                filename: "/usr/local/lib/python3.11/site-packages/django/core/handlers/base.py",
                function: "_get_response",
                lineno: 197,
                context_line: "response = wrapped_callback(request, *callback_args, **callback_kwargs)",
              },
              { filename: "/app/orders/views.py", function: "checkout", lineno: 42, context_line: "user = request.session['user_id']" },
            ],
          },
        },
      ],
    },
    request: {
      url: "https://shop.example.com/checkout?step=2",
      headers: { "User-Agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15" },
    },
  }),
  json("push webhook", {
    ref: "refs/heads/main",
    commits: [
      { id: "a1b2c3d", message: "Fix escaping of ' and \" in search; drop the old union-find helper", author: { name: "Seán O'Connor" } },
      { id: "d4e5f6a", message: "Update README: `npm run build && npm test`, then select the 'prod' profile", author: { name: "Zoë D'Angelo" } },
      { id: "0b1c2d3", message: 'Revert "Sleep 5 s before retrying" -- it made the tests flaky (see #42)', author: { name: "Jane" } },
    ],
  }),
  json("deployment settings", {
    env: { NODE_ENV: "production", DATABASE_URL: "postgres://app:s3cr%40t@db.internal:5432/app?sslmode=require" },
    healthcheck: { path: "/healthz", interval: "10s" },
    command: ["node", "dist/server.js", "--port", "8080"],
  }),
  json("chat message with emoji and maths", {
    channel: "#general",
    text: "Standup in 5' -- who's in? :coffee: Also: is 2^10 = 1024 or 1000? (asking for a friend) ¯\\_(ツ)_/¯",
  }),
  json("JSON Schema", {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://example.com/order.schema.json",
    type: "object",
    properties: { total: { type: "number", minimum: 0 }, items: { $ref: "#/$defs/item" } },
  }),
  json("Parse-style query with operators on content fields", {
    where: { $or: [{ status: "open" }, { priority: { $gte: 3 } }], tags: { $in: ["bug", "urgent"] } },
    order: "-updatedAt",
    limit: 20,
  }),
  json("e-mail and page templates", {
    jinja: "{% for item in order.items %}{{ item.name | title }} x {{ item.qty }}{% endfor %}\nTotal: {{ order.total * 1.2 | round(2) }} incl. VAT",
    handlebars: "{{#each users}}<li>{{this.name}} ({{@index}})</li>{{/each}}",
    twig: "{{ post.title|striptags|upper }} -- {{ 'now'|date('Y-m-d') }}",
    razor: "<p>@Model.Name has @(Model.Count * 2) points</p>",
    smarty: "{if $user.loggedIn}{$user.name|escape}{/if}",
  }),
  text(
    "YAML config with standard tags",
    "application/yaml",
    "version: 2\nbuild:\n  image: !!str node:20\n  cache: !!bool true\nlogo: !!binary |\n  R0lGODlhDAAMAIQAAP//9/X17unp5WZmZgAAAOfn515eXvPz7Y6OjuDg4J+fn5OTk6enp56enmleECcgggoBADs=\nrelease: !!timestamp 2024-05-01\n",
  ),
  json("error report with a Java stack trace", {
    platform: "java",
    message: "java.lang.IllegalStateException: Cart is empty",
    stacktrace:
      "java.lang.IllegalStateException: Cart is empty\n\tat com.example.shop.CartService.checkout(CartService.java:42)\n\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)\n\tat java.base/java.lang.Thread.run(Thread.java:1583)",
  }),
  json("C code in a forum post", {
    body: "Cast it first: `memcpy((char*)(&buf), src, n);` and check `if ((flags)(&mask))` -- see man 3 memcpy. Also `ls -X /usr/bin` sorts by extension.",
  }),
  json("contact card", {
    email: "jane@example.com",
    note: "Best reached by phone -- or at jane@example.com -C/O the front desk",
    ldapDn: "cn=Jane Doe,ou=People,dc=example,dc=com",
  }),
  json("developer chat with shell one-liners", {
    channel: "#dev",
    text: "Try `cd build && rm -rf dist && npm run build`; if it hangs, `ps aux | grep node` and kill -9 the stray process. Or: make clean; make -j8",
  }),
  json("issue comment with a terminal session", {
    body: 'Steps to reproduce:\n```\n$ cat /etc/os-release\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n$ uname -a\nLinux ci-runner 6.1.0-18-amd64 x86_64 GNU/Linux\n$ sudo systemctl restart app; journalctl -u app | tail -n 50\n```\nStill failing; whoami says `deploy`, and `ls -la /var/www` shows root owns it.',
  }),
  json("runbook step", {
    title: "Rotate logs",
    command: "find /var/log/app -name '*.log' -mtime +7 -delete && systemctl reload app",
    notes: "Run as root; sleep 5 between hosts.",
  }),
  json("tag list and field list", { languages: "Go; PHP; Python; Bash", fields: "id;name;env;ps", hosts: "web-01|web-02|db-01" }),
  json("shell commands in a CI config", {
    steps: [
      { run: "npm ci && npm test" },
      { run: 'echo "Deploying $GITHUB_SHA" | tee deploy.log' },
      { run: "curl -fsSL https://example.com/install.sh -o install.sh; sh install.sh --yes" },
    ],
  }),
];

const formBodies: OrdinaryBody[] = [
  form("login", { username: "jane.o'brien@example.com", password: "S3cr3t!'\"<>&", remember: "on" }),
  form("sign-up", { name: "Seán O'Connor", email: "sean+news@example.ie", password: "correct horse battery staple", terms: "accepted" }),
  ...PROSE.map((message, index) =>
    form(`contact form ${index}`, { name: "D'Arcy & Sons Ltd.", email: "info@darcy.example", subject: 'Question about "Pro" plan', message }),
  ),
  form("comment with code", { comment: CODE_SNIPPETS[0]!, post: "123" }),
  form("search", { q: "select a plan -- union vs. independent", category: "all" }),
  form("OAuth token exchange", {
    grant_type: "authorization_code",
    code: "SplxlOBeZQQYbYS6WxSbIA",
    redirect_uri: "https://client.example.com/cb?state=xyz",
    client_id: "s6BhdRkqt3",
  }),
  form("SAML post", {
    SAMLResponse: Buffer.from(
      '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_8e8dc5f69a98cc4c1ff3427e5ce34606fd672f91e6" Version="2.0"><saml:Issuer>https://idp.example.com</saml:Issuer></samlp:Response>',
    ).toString("base64"),
    RelayState: "/dashboard",
  }),
  form("WordPress post editor", {
    post_title: "5 tips for better sleep (8 hours isn't always enough)",
    content: "<!-- wp:paragraph --><p>It's not just about hours; it's about <em>rhythm</em>.</p><!-- /wp:paragraph -->",
    post_status: "draft",
    _wpnonce: "a1b2c3d4e5",
  }),
  form("checkout", {
    "items[0][sku]": "MUG-001",
    "items[0][qty]": "1",
    "address[line1]": "1 Union Sq.",
    "address[city]": "San Francisco",
    note: "Leave at the door, please -- thanks!",
  }),
  form("spreadsheet formula", { cell: "B7", formula: "=SUM(A1:A6)*1.2", note: "20% VAT incl." }),
  form("job posting", {
    title: "Senior Engineer (m/f/d)",
    location: "Berlin / remote",
    description: "Location: Berlin\nContact: jobs@example.com\nWe select candidates on skills -- not on CVs; and we'd love to hear from you!",
  }),
  form("support form with a one-liner", {
    message: "I ran: npm ci && npm test -- it hangs at 'sleep 5'. Then ps aux; nothing. whoami = deploy.",
    os: "Ubuntu 22.04",
  }),
  form("recipe", {
    title: 'Grandma\'s "best" apple pie',
    steps: "1) Preheat to 180°C; 2) mix flour & butter; 3) bake 45' -- or until golden.",
    servings: "8",
  }),
];

const xmlBodies: OrdinaryBody[] = [
  text(
    "SOAP request",
    "text/xml; charset=utf-8",
    `<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <soap:Body>
    <GetQuote xmlns="http://example.com/stock"><Symbol>ACME</Symbol><Note>Buy if &lt; $20 &amp; volume &gt; 1M -- it's "cheap"</Note></GetQuote>
  </soap:Body>
</soap:Envelope>`,
    { soapaction: '"http://example.com/stock/GetQuote"' },
  ),
  text(
    "SOAP 1.2",
    "application/soap+xml; charset=utf-8",
    `<?xml version="1.0"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><m:Order xmlns:m="urn:shop"><m:Item qty="2">T-shirt (red, M)</m:Item><m:Comment><![CDATA[Please gift-wrap: "Happy birthday, Sam!" <3]]></m:Comment></m:Order></env:Body></env:Envelope>`,
  ),
  text(
    "RSS feed",
    "application/rss+xml",
    `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Dev Blog</title><item><title>Why we select Postgres over MySQL</title><link>https://blog.example.com/postgres?utm_source=rss&amp;utm_medium=feed</link><description>It's about the "little things" -- &amp; JSONB.</description></item></channel></rss>`,
  ),
  text(
    "SVG upload as XML",
    "image/svg+xml",
    `<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100"><title>Logo</title><circle cx="50" cy="50" r="40" fill="#0b5fff"/><text x="50" y="55" text-anchor="middle">A&amp;B</text></svg>`,
  ),
  text(
    "Apple plist",
    "application/xml",
    `<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd"><plist version="1.0"><dict><key>CFBundleName</key><string>Notes</string><key>Comment</key><string>Don't forget: 5 &lt; 7</string></dict></plist>`,
  ),
  text(
    "XML-RPC",
    "text/xml",
    `<?xml version="1.0"?><methodCall><methodName>wp.getPosts</methodName><params><param><value><string>admin</string></value></param><param><value><struct><member><name>post_type</name><value><string>post</string></value></member></struct></value></param></params></methodCall>`,
  ),
  text(
    "sitemap with internal DTD subset",
    "application/xml",
    `<?xml version="1.0"?><!DOCTYPE note [<!ELEMENT note (to,body)><!ELEMENT to (#PCDATA)><!ELEMENT body (#PCDATA)><!ENTITY company "Example &amp; Co.">]><note><to>Team</to><body>Welcome to &company;! It's great to have you.</body></note>`,
  ),
  text(
    "Atom entry",
    "application/atom+xml",
    `<?xml version="1.0" encoding="utf-8"?><entry xmlns="http://www.w3.org/2005/Atom"><title type="html">Q&amp;A: &lt;b&gt;select&lt;/b&gt; vs. &lt;i&gt;choose&lt;/i&gt;</title><content type="text">Which word fits "pick one"? Union of both, I'd say.</content></entry>`,
  ),
];

xmlBodies.push(
  text(
    "Jenkins job config with a pipeline script",
    "application/xml",
    `<?xml version='1.1' encoding='UTF-8'?><flow-definition plugin="workflow-job@1400.v7fd111b_ec82f"><description>Build &amp; test</description><definition class="org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition" plugin="workflow-cps@3908.vd6b_b_5a_a_54010"><script>pipeline {
  agent any
  stages { stage('Test') { steps { sh 'npm ci &amp;&amp; npm test' } } }
}</script><sandbox>true</sandbox></definition></flow-definition>`,
  ),
  text(
    "XHTML5 page with the legacy-compat DOCTYPE",
    "application/xhtml+xml",
    `<!DOCTYPE html SYSTEM "about:legacy-compat"><html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><title>Order #1042</title></head><body><p>Thanks! Your order ships on Monday -- track it <a href="https://shop.example.com/track?o=1042&amp;ref=mail">here</a>.</p></body></html>`,
  ),
  text(
    "stylesheet for a report export",
    "application/xslt+xml",
    `<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:exsl="http://exslt.org/common"><xsl:output method="html"/><xsl:template match="/orders"><table><xsl:for-each select="order[total &gt; 100]"><tr><td><xsl:value-of select="@id"/></td><td><xsl:value-of select="format-number(total, '#,##0.00')"/></td></tr></xsl:for-each></table></xsl:template></xsl:stylesheet>`,
  ),
  text(
    "Maven POM",
    "application/xml",
    `<?xml version="1.0" encoding="UTF-8"?><project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd"><modelVersion>4.0.0</modelVersion><groupId>com.example.shop</groupId><artifactId>cart-service</artifactId><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>`,
  ),
  text(
    "log4j2 config",
    "application/xml",
    `<Configuration status="warn"><Appenders><Console name="out"><ThresholdFilter level="info" onMatch="ACCEPT" onMismatch="DENY"/><PatternLayout pattern="%d %-5p [%t] %c{1} - %m%n"/></Console></Appenders><Loggers><Root level="info"><AppenderRef ref="out"/></Root></Loggers></Configuration>`,
  ),
  text(
    "SAML AuthnRequest",
    "application/xml",
    `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1b2c3" Version="2.0" IssueInstant="2024-05-01T10:00:00Z" AssertionConsumerServiceURL="https://sp.example.com/acs"><saml:Issuer>https://sp.example.com</saml:Issuer><samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" AllowCreate="true"/></samlp:AuthnRequest>`,
  ),
  text(
    "SOAP with WS-Security",
    "text/xml",
    `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"><soap:Header><wsse:Security><wsse:UsernameToken wsu:Id="UsernameToken-1"><wsse:Username>jane</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">s3cr3t'&lt;&gt;</wsse:Password></wsse:UsernameToken></wsse:Security></soap:Header><soap:Body><m:GetOrders xmlns:m="urn:shop"><m:Since>2024-05-01</m:Since><m:Note><![CDATA[Orders > 100 €]]> &amp; returns</m:Note></m:GetOrders></soap:Body></soap:Envelope>`,
  ),
  text(
    "SVG with links and CSS",
    "image/svg+xml",
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 120 40"><style>.label { font: 12px sans-serif; fill: #333; }</style><a xlink:href="https://example.com/docs?tab=api&amp;v=2"><text class="label" x="10" y="25">API docs &#8594;</text></a><use xlink:href="#icon" x="100" y="10"/></svg>`,
  ),
);

// Bodies compressed by the client, and in other character sets than UTF-8.
const encodedBodies: OrdinaryBody[] = [
  {
    title: "gzip-compressed JSON from a mobile app",
    headers: { "content-type": "application/json", "content-encoding": "gzip" },
    body: gzipSync(Buffer.from(JSON.stringify({ events: PROSE.map((text, i) => ({ id: i, text })) }))),
  },
  {
    title: "deflate-compressed form",
    headers: { "content-type": "application/x-www-form-urlencoded", "content-encoding": "deflate" },
    body: deflateSync(Buffer.from(new URLSearchParams({ message: PROSE[7]!, name: "O'Brien" }).toString())),
  },
  {
    title: "UTF-16 XML with a byte order mark",
    headers: { "content-type": "text/xml; charset=utf-16" },
    body: Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`<?xml version="1.0" encoding="UTF-16"?><note><to>Zoë</to><body>Don't forget: 5 &lt; 7 -- "select" one</body></note>`, "utf16le"),
    ]),
  },
  {
    title: "latin1 form from an old site",
    headers: { "content-type": "application/x-www-form-urlencoded; charset=ISO-8859-1" },
    body: Buffer.from("name=Jos%E9+M%FCller&comment=Caf%E9+%26+cr%E8me+br%FBl%E9e", "latin1"),
  },
  {
    title: "UTF-7 declared but plain ASCII",
    headers: { "content-type": "text/plain; charset=utf-7" },
    body: Buffer.from("Prices: 5+-3 EUR, or 2+-1 with the coupon. C+- is a language."),
  },
];

const textBodies: OrdinaryBody[] = [
  text("markdown note", "text/markdown; charset=utf-8", MARKDOWN),
  text("plain text feedback", "text/plain; charset=utf-8", PROSE.join("\n\n")),
  text(
    "CSV import",
    "text/csv",
    `name,email,notes\n"O'Brien, Jane",jane@example.com,"Said ""hi"" -- call back"\nSmith & Co,info@smith.example,"5 < 7; union rep"\n`,
  ),
  text(
    "GraphQL document",
    "application/graphql",
    "query Search($q: String!) { search(query: $q, first: 20) { ... on Product { name price } ... on Article { title } } }",
  ),
  text(
    "ndjson log batch",
    "application/x-ndjson",
    Array.from({ length: 10 }, (_, i) =>
      JSON.stringify({ level: "info", msg: `user ${i} selected plan 'pro' -- union discount applied`, at: `2024-05-0${(i % 9) + 1}T10:00:00Z` }),
    ).join("\n"),
  ),
  text(
    "HTML snippet from a CMS",
    "text/html; charset=utf-8",
    `<article><h2>Opening hours</h2><p>Mon&ndash;Fri 9&ndash;17; Sat 10&ndash;14. Closed on public holidays.</p><img src="/media/shop.jpg" alt="Our shop on Union Street" width="640"></article>`,
  ),
  { title: "unlabelled JSON from a script", headers: {}, body: Buffer.from(JSON.stringify({ ok: true, message: "It's done -- 3 files updated" })) },
  { title: "unlabelled form post from curl", headers: {}, body: Buffer.from("name=O%27Brien&comment=Nice+work%21+%3A-%29") },
  {
    title: "unlabelled URL-encoded beacon",
    headers: {},
    body: Buffer.from("%7B%22event%22%3A%22click%22%2C%22label%22%3A%22Don%27t+select+%26+drop%22%7D"),
  },
];

const multipartBodies: OrdinaryBody[] = [
  multipart("profile photo upload", [
    { name: "displayName", value: "Jane O'Brien" },
    { name: "bio", value: PROSE[1]! },
    { name: "avatar", fileName: "me.png", type: "image/png", value: png(64, 48) },
  ]),
  multipart("photo upload", [
    { name: "photos[]", fileName: "IMG_2041.JPG", type: "image/jpeg", value: jpeg(40_000) },
    { name: "caption", value: 'Sunset at the pier -- "best shot of the year"' },
  ]),
  multipart("document upload", [
    { name: "file", fileName: "Q3 report (final).pdf", type: "application/pdf", value: pdf() },
    { name: "folder", value: "/Reports/2024" },
  ]),
  multipart("archive upload", [{ name: "bundle", fileName: "site-backup-2024-05.zip", type: "application/zip", value: zip() }]),
  multipart("unknown binary", [{ name: "blob", fileName: "data.bin", type: "application/octet-stream", value: noise(20_000, "bin") }]),
  multipart("gzip without a type", [{ name: "log", fileName: "app.log.gz", value: gzipSync(Buffer.from("GET /index.html 200\n".repeat(500))) }]),
  multipart("text attachment", [
    { name: "attachment", fileName: "notes.md", type: "text/markdown", value: MARKDOWN },
    { name: "message", value: PROSE[3]! },
  ]),
  multipart("code attachment", [
    { name: "snippet", fileName: "example.py", type: "text/x-python", value: CODE_SNIPPETS[1]! },
    { name: "language", value: "python" },
  ]),
  multipart("JSON part", [
    { name: "metadata", type: "application/json", value: JSON.stringify({ title: "Holiday pics", album: "Summer '24", tags: ["beach", "family"] }) },
    { name: "file", fileName: "beach.jpg", type: "image/jpeg", value: jpeg(10_000) },
  ]),
  multipart(
    "Firefox-style boundary",
    [
      { name: "title", value: "Union Station -- renovation update" },
      { name: "body", value: `${PROSE[2]}\n\n${PROSE[6]}` },
    ],
    "---------------------------9051914041544843365972754266",
  ),
  multipart("unicode file name", [{ name: "file", fileName: "Résumé – Zoë D'Angelo.pdf", type: "application/pdf", value: pdf() }]),
];

export const ORDINARY_BODIES: readonly OrdinaryBody[] = [
  ...jsonBodies,
  ...formBodies,
  ...xmlBodies,
  ...textBodies,
  ...multipartBodies,
  ...encodedBodies,
];

/** Binary files made here, for tests that cut or pad them. */
export const BINARY_FILES = { png: png(64, 48), jpeg: jpeg(40_000), pdf: pdf(), zip: zip() } as const;
