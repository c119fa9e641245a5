import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ENV } from '@restain/shared';
import { JobApi } from './api/job-api';
import type { DeployParameters } from './deploy-parameters';
import { DropFolder } from './ingest/drop-folder';
import { UploadValidator } from './ingest/upload-validator';
import { REPO_ROOT } from './lambda/restain-function';
import { SharpLayer } from './lambda/sharp-layer';
import { acknowledgeLibraryInternals } from './operations/library-internals';
import { OperatorAlarms } from './operations/operator-alarms';
import { AnalysisQueue } from './queue/analysis-queue';
import { DEAD_LETTER_HANDLER_TIMEOUT, DeadLetterHandler } from './queue/dead-letter-handler';
import { handlerEnvironment, workerEnvironment } from './runtime-environment';
import { UploadStorage } from './storage/upload-storage';
import { WebHosting } from './web/web-hosting';
import { GpuWorkerService } from './workers/gpu-worker-service';

export interface RestainStackProps extends StackProps {
  readonly parameters: DeployParameters;
}

/**
 * Restain on AWS, in the order work flows (ARCHITECTURE.md): web and API and drop folder take
 * images in; the validator checks them into storage and queues jobs; GPU workers scaled on the
 * queue's backlog analyse them and write results back to storage; dead letters fail jobs with
 * their reason; CloudFront serves the web app and routes /api/* to the API.
 */
export class RestainStack extends Stack {
  readonly storage: UploadStorage;
  readonly analysis: AnalysisQueue;
  readonly api: JobApi;
  readonly uploadValidator: UploadValidator;
  readonly dropFolder: DropFolder;
  readonly workers: GpuWorkerService;
  readonly deadLetters: DeadLetterHandler;
  readonly web: WebHosting;

  constructor(scope: Construct, id: string, props: RestainStackProps) {
    super(scope, id, props);
    const { parameters } = props;
    const alarms = new OperatorAlarms(this, 'Alarms', { email: parameters.alarmEmail });

    const storage = (this.storage = new UploadStorage(this, 'Storage', { retentionDays: parameters.retentionDays }));
    const analysis = (this.analysis = new AnalysisQueue(this, 'AnalysisQueue', {
      longestJobMinutes: parameters.longestJobMinutes,
      maxReceives: parameters.maxReceives,
      deadLetterConsumerTimeout: DEAD_LETTER_HANDLER_TIMEOUT,
      alarms,
    }));
    const resources = { bucketName: storage.bucket.bucketName, queueUrl: analysis.queue.queueUrl, deadLetterQueueUrl: analysis.deadLetterQueue.queueUrl };
    const environment = handlerEnvironment(parameters, resources);
    const { layer: sharpLayer } = new SharpLayer(this, 'Sharp', { repoRoot: REPO_ROOT });
    const ingest = { bucket: storage.bucket, queue: analysis.queue, environment, sharpLayer, maxUploadBytes: parameters.maxUploadBytes, alarms };

    const api = (this.api = new JobApi(this, 'JobApi', {
      ...ingest,
      deadLetterQueue: analysis.deadLetterQueue,
      rateLimitPerSecond: parameters.apiRateLimitPerSecond,
      burstLimit: parameters.apiBurstLimit,
    }));
    this.uploadValidator = new UploadValidator(this, 'UploadValidator', ingest);
    this.dropFolder = new DropFolder(this, 'DropFolder', ingest);

    const workers = (this.workers = new GpuWorkerService(this, 'GpuWorkers', {
      bucket: storage.bucket,
      queue: analysis.queue,
      backlog: analysis.backlogMetric(),
      environment: workerEnvironment(parameters, resources),
      instanceType: parameters.instanceType,
      minWorkers: parameters.minWorkers,
      maxWorkers: parameters.maxWorkers,
      backlogPerWorker: parameters.backlogPerWorker,
      imageTag: parameters.imageTag,
      alarms,
    }));
    this.deadLetters = new DeadLetterHandler(this, 'DeadLetters', { bucket: storage.bucket, deadLetterQueue: analysis.deadLetterQueue, environment });

    const web = (this.web = new WebHosting(this, 'Web', { apiDomainName: api.domainName, logBucket: storage.logBucket }));

    // GET /api/status reports the fleet; links in answers point at the CloudFront domain.
    api.allowDescribeService(workers.service.serviceArn);
    api.handler.function.addEnvironment(ENV.ECS_CLUSTER, workers.cluster.clusterName);
    api.handler.function.addEnvironment(ENV.ECS_SERVICE, workers.service.serviceName);
    api.handler.function.addEnvironment(ENV.PUBLIC_URL, `https://${web.distribution.distributionDomainName}`);

    acknowledgeLibraryInternals(this);
    new CfnOutput(this, 'Url', { value: `https://${web.distribution.distributionDomainName}`, description: 'The web app and the API (/api/*)' });
    new CfnOutput(this, 'DataBucket', { value: storage.bucket.bucketName, description: 'Uploads, results, job records; drop images under inbox/' });
    new CfnOutput(this, 'WebBucket', { value: web.bucket.bucketName, description: 'Upload web/out here (aws s3 sync)' });
    new CfnOutput(this, 'DistributionId', { value: web.distribution.distributionId });
    new CfnOutput(this, 'WorkerRepository', { value: workers.repository.repositoryUri, description: 'Push the GPU worker image here' });
    new CfnOutput(this, 'Cluster', { value: workers.cluster.clusterName });
    new CfnOutput(this, 'WorkerService', { value: workers.service.serviceName });
    new CfnOutput(this, 'QueueUrl', { value: analysis.queue.queueUrl });
    new CfnOutput(this, 'ApiEndpoint', { value: api.api.apiEndpoint, description: 'API Gateway directly (the CloudFront URL is preferred)' });
  }
}
