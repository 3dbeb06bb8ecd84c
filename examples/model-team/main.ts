import { App } from "cdktf";
import { CHURN_MODEL_DEV, STACK_ID } from "./config";
import { ModelTeamStack } from "./stack";

const app = new App();
new ModelTeamStack(app, STACK_ID, CHURN_MODEL_DEV);
app.synth();
