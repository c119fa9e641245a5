// Child process running fauxqs (SQS protocol, in memory) on 127.0.0.1, any free port. fauxqs's own
// startFauxqs() listens on 0.0.0.0, so this builds its app and listens on loopback itself. Queue
// URLs then name the request's host (http://127.0.0.1:<port>/000000000000/<name>). Tells the parent
// its port over IPC and exits when the parent goes away.
import { buildApp } from 'fauxqs';

const app = buildApp({ logger: false });
try {
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.send?.({ type: 'ready', port: app.server.address().port });
} catch (error) {
  console.error(error);
  process.exit(1);
}
const stop = () => app.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('disconnect', stop);
