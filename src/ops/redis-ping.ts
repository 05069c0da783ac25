import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';

// PING over RESP on a fresh connection, without a Redis client library: readiness must not
// depend on (or disturb) the queue's own connections. AUTH first when the URL carries it.
export function pingRedis(url: string, signal: AbortSignal): Promise<void> {
  const u = new URL(url);
  const port = Number(u.port || 6379);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const commands: string[][] = [];
  if (u.password) commands.push(u.username ? ['AUTH', decodeURIComponent(u.username), decodeURIComponent(u.password)] : ['AUTH', decodeURIComponent(u.password)]);
  commands.push(['PING']);
  return new Promise<void>((resolve, reject) => {
    const socket: Socket = u.protocol === 'rediss:' ? connectTls({ host, port, servername: host }) : connectTcp({ host, port });
    const fail = (error: Error): void => {
      socket.destroy();
      reject(error);
    };
    const onAbort = (): void => fail(new Error('timed out'));
    signal.addEventListener('abort', onAbort, { once: true });
    let buffer = '';
    let replies = 0;
    socket.setEncoding('utf8');
    socket.on('error', fail);
    socket.once(u.protocol === 'rediss:' ? 'secureConnect' : 'connect', () => {
      socket.write(commands.map(encode).join(''));
    });
    socket.on('data', (data: string) => {
      buffer += data;
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (line.startsWith('-')) return fail(new Error(line.slice(1)));
        replies += 1;
        if (replies === commands.length) {
          signal.removeEventListener('abort', onAbort);
          socket.end();
          return line === '+PONG' ? resolve() : reject(new Error(`unexpected reply ${line.slice(0, 40)}`));
        }
      }
    });
  });
}

const encode = (args: string[]): string => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
