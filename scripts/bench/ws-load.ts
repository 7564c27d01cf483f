import WebSocket from "ws";
import { percentile, type LoadResult } from "./load-result";

/**
 * The websocket load client of `npm run bench`, run as a child process so that its event loop is
 * not the backend's: `ws-load.ts <ws-url> <connections> <seconds>`. Each socket sends one message,
 * waits for its echo and sends the next; prints one JSON LoadResult of echoed messages per second
 * and the round-trip percentiles.
 */
const [url, connectionsArg, secondsArg] = process.argv.slice(2);
const connections = Number(connectionsArg);
const seconds = Number(secondsArg);
if (!url || !(connections > 0) || !(seconds > 0)) throw new Error("usage: ws-load.ts <ws-url> <connections> <seconds>");

const MESSAGE = "hello from the bench"; // 20 bytes, about the HTTP scenarios' body
const OPEN_TIMEOUT_MS = 10_000;

const roundTrips: number[] = [];
let errors = 0;

const sockets = await Promise.all(Array.from({ length: connections }, () => open()));
const started = performance.now();
const deadline = started + seconds * 1000;
await Promise.all(sockets.map((socket) => (socket ? echoUntil(socket, deadline) : Promise.resolve())));
const elapsedSeconds = (performance.now() - started) / 1000;
sockets.forEach((socket) => socket?.terminate());

roundTrips.sort((a, b) => a - b);
const result: LoadResult = {
  perSecond: roundTrips.length / elapsedSeconds,
  p50Ms: percentile(roundTrips, 0.5),
  p99Ms: percentile(roundTrips, 0.99),
  errors,
};
process.stdout.write(JSON.stringify(result));

function open(): Promise<WebSocket | null> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url!, { handshakeTimeout: OPEN_TIMEOUT_MS });
    socket.once("open", () => resolve(socket));
    socket.once("error", () => {
      errors += 1;
      resolve(null);
    });
  });
}

/** Ping-pong on one socket until the deadline; a closed or failed socket counts one error and stops. */
function echoUntil(socket: WebSocket, deadline: number): Promise<void> {
  return new Promise((resolve) => {
    let sentAt = 0;
    const send = () => {
      if (performance.now() >= deadline) return finish();
      sentAt = performance.now();
      socket.send(MESSAGE);
    };
    const onMessage = (data: WebSocket.RawData) => {
      if (data.toString() === MESSAGE) roundTrips.push(performance.now() - sentAt);
      else errors += 1;
      send();
    };
    const onFailure = () => {
      errors += 1;
      finish();
    };
    const finish = () => {
      socket.off("message", onMessage).off("close", onFailure).off("error", onFailure);
      resolve();
    };
    socket.on("message", onMessage).once("close", onFailure).once("error", onFailure);
    send();
  });
}
