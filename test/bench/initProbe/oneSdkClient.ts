import { KinesisClient } from '@aws-sdk/client-kinesis';

/** Init probe: the AWS SDK v3 floor, one client constructed at init (bundled like the function). */
const kinesis = new KinesisClient({});

export const handler = async (): Promise<string> => kinesis.config.serviceId;
