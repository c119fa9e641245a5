import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface WebHostingProps {
  /** Domain of the API's origin (API Gateway), reached under /api/*. */
  readonly apiDomainName: string;
  /** Receives the web bucket's access logs and CloudFront's standard logs. */
  readonly logBucket: s3.IBucket;
}

/**
 * Next.js static exports (`trailingSlash: true`) name pages `jobs/index.html`; a request for
 * `/jobs/` or `/jobs` reads that file. Anything with a file extension is served as asked.
 */
const DIRECTORY_INDEX = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.endsWith('/')) request.uri = uri + 'index.html';
  else if (uri.lastIndexOf('.') <= uri.lastIndexOf('/')) request.uri = uri + '/index.html';
  return request;
}`;

/**
 * The web app on S3 + CloudFront: one private bucket read by CloudFront through origin access
 * control, and one distribution whose `/api/*` behaviour forwards to API Gateway uncached (all
 * methods, all headers but Host, query strings and cookies), so the browser, the API and
 * DeepLIIF-compatible clients share one origin. The static export is uploaded after deploy
 * (docs/deploy.md): synth does not need web/out.
 */
export class WebHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Site', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.logBucket,
      serverAccessLogsPrefix: 'web-bucket/',
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const apiOrigin = new origins.HttpOrigin(props.apiDomainName, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      // API Gateway ends integrations at 30 s; CloudFront's default read timeout is the same.
      readTimeout: Duration.seconds(30),
    });
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Restain web app and /api/*',
      defaultRootObject: 'index.html',
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
        functionAssociations: [
          {
            eventType: cloudfront.FunctionEventType.VIEWER_REQUEST,
            function: new cloudfront.Function(this, 'DirectoryIndex', { code: cloudfront.FunctionCode.fromInline(DIRECTORY_INDEX), runtime: cloudfront.FunctionRuntime.JS_2_0 }),
          },
        ],
      },
      additionalBehaviors: {
        '/api/*': {
          origin: apiOrigin,
          // API clients POST; a redirect would turn their POST into a GET.
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        },
      },
    });

    const acknowledge = (id: string, reason: string): void => Validations.of(this.distribution).acknowledge({ id, reason });
    acknowledge('AwsSolutions-CFR1', 'The platform serves researchers anywhere; no country is excluded.');
    acknowledge('AwsSolutions-CFR2', 'No WAF by default (its fixed monthly cost exceeds a small deployment); the API is throttled at API Gateway and every request needs an API key. Attach a web ACL for a public deployment.');
    acknowledge('AwsSolutions-CFR4', 'The default *.cloudfront.net certificate cannot pin a minimum TLS version; with a custom domain and ACM certificate, set minimumProtocolVersion TLSv1.2_2021.');
  }
}
