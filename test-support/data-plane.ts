import { createDataPlane, type DataPlane, type DataPlaneOptions } from "../proxy/data-plane/create-data-plane";
import { testCertificateMaterial } from "./snapshots";

export interface RunningDataPlane {
  plane: DataPlane;
  httpPort: number;
  httpsPort: number;
  close(): Promise<void>;
}

/**
 * A data plane on ephemeral ports, bound to loopback. Certificates come from testCertificate(), as
 * a worker's come from the primary.
 */
export async function startDataPlane(options: Partial<DataPlaneOptions> = {}): Promise<RunningDataPlane> {
  const plane = createDataPlane({ httpPort: 0, httpsPort: 0, host: "127.0.0.1", certificateMaterial: testCertificateMaterial, ...options });
  const ports = await plane.listen();
  return { plane, ...ports, close: () => plane.close() };
}
