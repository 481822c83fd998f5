// Pulumi entry point (Pulumi.yaml `main`). Everything lives in ./main so tests can run it under mocks.
import { main } from "./main";

const outputs = main();
export = outputs;
