import { createDataPlane, type DataPlane, type DataPlaneOptions } from "../proxy/data-plane/create-data-plane";

export interface RunningDataPlane {
  plane: DataPlane;
  httpPort: number;
  httpsPort: number;
  close(): Promise<void>;
}

/** A data plane on ephemeral ports, bound to loopback. */
export async function startDataPlane(options: Partial<DataPlaneOptions> = {}): Promise<RunningDataPlane> {
  const plane = createDataPlane({ httpPort: 0, httpsPort: 0, host: "127.0.0.1", ...options });
  const ports = await plane.listen();
  return { plane, ...ports, close: () => plane.close() };
}
