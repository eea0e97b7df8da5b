// Baseline hub for `make bench`: the smallest socket.io 4.8 server doing the gateway's
// fan-out job. It subscribes to one Redis channel and emits each event (parsed once,
// encoded once by socket.io for the whole broadcast) to every connected socket.
// A socket must present a non-empty `auth.token` (not verified: the baseline measures
// fan-out, not JWT checks). Prints "listening <port>" once ready; SIGTERM stops it.
'use strict';

const http = require('node:http');
const { Server } = require('socket.io');
const { createClient } = require('redis');

const port = Number(process.env.PORT || 0);
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const channel = process.env.CHANNEL || 'bench.node.events';

async function main() {
  const server = http.createServer();
  const io = new Server(server, { serveClient: false, transports: ['websocket', 'polling'] });

  io.use((socket, next) => {
    const token = socket.handshake.auth && socket.handshake.auth.token;
    if (typeof token === 'string' && token.length > 0) next();
    else next(new Error('unauthorized'));
  });

  const subscriber = createClient({ url: redisUrl });
  subscriber.on('error', (err) => console.error('redis:', err.message));
  await subscriber.connect();
  await subscriber.subscribe(channel, (message) => {
    let event;
    try {
      event = JSON.parse(message);
    } catch {
      return;
    }
    const { actor, previous, ...envelope } = event;
    io.emit(envelope.type, envelope);
  });

  server.listen(port, '127.0.0.1', () => {
    console.log(`listening ${server.address().port}`);
  });

  const stop = () => {
    io.close();
    subscriber.quit().catch(() => {}).finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
