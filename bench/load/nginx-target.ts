/**
 * The bench's nginx target (Debian's nginx-light, one worker): static replies with usage, a JSON completion,
 * or an SSE stream (usage chunk, then `data: [DONE]`) for requests that accept `text/event-stream`, with the
 * version and replica headers the ledger reads. nginx answers in a few µs, so the client is what is measured.
 */
import { type Nginx, nginxBinary, startNginx } from '../../test/ground-truth/nginx-server.ts';

const usage = '{"prompt_tokens":5,"completion_tokens":16,"total_tokens":21}';
const json = `{"id":"chatcmpl-bench","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":${usage}}`;
const sse = [
  'data: {"choices":[{"index":0,"delta":{"content":"o"}}]}',
  'data: {"choices":[{"index":0,"delta":{"content":"k"}}]}',
  `data: {"choices":[],"usage":${usage}}`,
  'data: [DONE]',
].join('\\n\\n');

function conf(dir: string, port: number): string {
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  const headers = 'add_header x-gateway-version v1.8.0; add_header x-served-by nginx-bench-1;';
  return `${user}worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body;
  keepalive_timeout 65s;
  keepalive_requests 10000000;
  server {
    listen 127.0.0.1:${port} backlog=4096;
    location / {
      if ($http_accept = "text/event-stream") { rewrite ^ /sse last; }
      default_type application/json;
      ${headers}
      return 200 '${json}';
    }
    location /sse {
      internal;
      default_type text/event-stream;
      ${headers}
      return 200 '${sse}\\n\\n';
    }
  }
}
`;
}

export async function startNginxTarget(): Promise<Nginx> {
  if (!nginxBinary) throw new Error('bench: nginx is not installed (apt-get install -y nginx-light)');
  return startNginx(0, conf);
}
