import { controlSecret } from "../lib/config/control-secret";

/** A process that needs the control secret (as the dashboard or the proxy does), and prints it. */
process.stdout.write(controlSecret());
