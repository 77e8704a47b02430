import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import type { DataStack } from './data-stack.ts';
import { bindStage } from './bind.ts';

export interface ComputeStackProps extends StackProps {
  data: DataStack;
}

const repoPath = (p: string): string => fileURLToPath(new URL(`../${p}`, import.meta.url));

/** Lambda settings shared by every engine function. */
export function engineFunction(scope: Construct, id: string, entry: string): nodejs.NodejsFunction {
  return new nodejs.NodejsFunction(scope, id, {
    entry: repoPath(entry),
    handler: 'handler',
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 512,
    timeout: Duration.seconds(29),
    logGroup: new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH }),
    depsLockFilePath: repoPath('package-lock.json'),
    bundling: { format: nodejs.OutputFormat.ESM, target: 'node22', minify: true, sourceMap: true },
  });
}

/**
 * Everything that runs: the HTTP API Lambda behind an API Gateway HTTP API. Each function gets
 * its access through the bind helpers, one grant and one setting per resource it uses.
 */
export class ComputeStack extends Stack {
  readonly httpApi: HttpApi;
  readonly httpApiFunction: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: ComputeStackProps) {
    super(scope, id, props);
    const { data } = props;

    this.httpApiFunction = engineFunction(this, 'HttpApiFunction', 'functions/http-api/handler.ts');
    bindStage(this.httpApiFunction, data);

    this.httpApi = new HttpApi(this, 'HttpApi', { apiName: `attune-${data.stage}` });
    this.httpApi.addRoutes({
      path: '/v1/{proxy+}',
      methods: [HttpMethod.ANY],
      integration: new HttpLambdaIntegration('HttpApiIntegration', this.httpApiFunction),
    });
    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.apiEndpoint });
  }
}
