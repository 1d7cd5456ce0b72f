/** `kinesis-auto-encrypt --help`. */
export const USAGE = `Usage: kinesis-auto-encrypt <audit|sweep> [options]
       kinesis-auto-encrypt guard-policy [options]   (the write guard's SCP; guard-policy --help)

  audit                  read-only: report every stream's compliance (exit 0 only if all are compliant)
  sweep                  encrypt every non-compliant stream through the pipeline's decision and wait until each
                         change is confirmed (ACTIVE, KMS, the key); --dry-run = audit

  --region <r>           region(s), repeatable or comma-separated; "all" = every region enabled for the account
                         (account:ListRegions); default: the SDK's region (AWS_REGION, the profile's region)
  --profile <name>       shared config/credentials profile (SSO, credential_process, role_arn); default: the SDK's
                         default credential chain (environment, SSO, shared files, web identity, ECS/EC2 roles)
  --endpoint-url <url>   one endpoint for every service (the local cloud, LocalStack)
  --accounts <ids>       12-digit accounts, repeatable or comma-separated: assume --role-name in each
  --role-name <name>     role assumed in each of --accounts (arn:<partition>:iam::<account>:role/<name>)
  --stream <arn|name>    only these streams, repeatable or comma-separated (an ARN's region must be in --region and
                         its account in --accounts; without --region, ARNs are looked for in their own regions)
  --stage <stage>        apply the settings the deployed stage publishes (SSM /kinesis-auto-encrypt/<stage>/settings,
                         read in the home region): its key or key map, mode, policy switches; flags override them
  --key <KeyId>          default key (key id, key ARN, alias ARN, alias/Name); default: the stage's, else
                         alias/aws/kinesis. A stream's kinesis-auto-encrypt:key tag overrides it;
                         kinesis-auto-encrypt:exempt=true leaves the stream alone
  --override-foreign-keys, --no-override-foreign-keys
                         re-key streams on another KMS key, or leave them (default: the stage's, else leave them)
  --key-policy-check <m> enforce, warn or off (default: the stage's, else enforce)
  --describe-rate <n>    DescribeStreamSummary calls per second per account, never exceeded (default 10 of
                         Kinesis' 20/s; at most 20)
  --concurrency <n>      streams checked at once (default 8, at most 64)
  --tags <bulk|stream>   bulk: tag:GetResources, 100 streams a call (default; falls back to stream when
                         refused); stream: ListTagsForStream per stream (5/s per account)
  --confirm-timeout <s>  how long sweep waits for each change to be confirmed (default 600)
  --out <dir>            write report.json, report.csv and report.html there
  --format <f>           stdout: table (default), json or csv
  --dry-run              with sweep: change nothing (audit)
  -h, --help             this text

Each setting and where it came from (flag, stage, default) is printed on stderr; stdout holds only the report.

Exit codes: 0 every stream compliant (audit) or every change confirmed (sweep); 1 non-compliant streams remain,
failures, or interrupted (Ctrl-C); 2 bad usage, no credentials, a stage without settings, or a configured key that
cannot be used (checked once before listing; one line per key).`;
