import { App } from "cdktf";
import { CHURN_DATA_DEV, STACK_ID } from "./config";
import { TeamDataStack } from "./stack";

const app = new App();
new TeamDataStack(app, STACK_ID, CHURN_DATA_DEV);
app.synth();
