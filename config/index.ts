export { ConfigError, loadStackConfig, parseStackConfig, readRawConfig } from "./load";
export type { RawConfig } from "./load";
export { PROJECT, projectConfigSchema } from "./schema";
export type { StackConfig } from "./schema";
export { AWS_REGIONS } from "./regions";
