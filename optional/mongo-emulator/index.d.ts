/** How results on this server must be labelled. */
export declare const EMULATOR_LABEL: 'MongoDB wire-protocol emulator, not MongoDB';

export type MongoEmulator = {
  /** `mongodb://127.0.0.1:<port>` (no database: add one per test run). */
  uri: string;
  port: number;
  stop(): Promise<void>;
};

/** Starts an in-memory CongoDB emulator on 127.0.0.1 (a free port unless one is given). */
export declare function startMongoEmulator(options?: { port?: number }): Promise<MongoEmulator>;
