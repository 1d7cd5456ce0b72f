import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { S3SweepStore } from '../../../src/aws/s3SweepStore';

const s3 = mockClient(S3Client);

describe('S3SweepStore', () => {
  beforeEach(() => {
    s3.reset();
    s3.on(PutObjectCommand).resolves({});
  });

  it('stores the report files it is given, byte for byte, under reports/<sweepId>/', async () => {
    // Prepare
    const store = new S3SweepStore(new S3Client({ region: 'eu-west-1' }), 'bucket');
    const files = [
      { name: 'report.json', body: '{"a":1}\n', contentType: 'application/json' },
      { name: 'report.html', body: '<p>é</p>', contentType: 'text/html; charset=utf-8' },
    ];

    // Act
    const keys = await store.writeReport('sweep-1', files);

    // Assess
    expect(keys).toEqual(['reports/sweep-1/report.json', 'reports/sweep-1/report.html']);
    expect(s3.commandCalls(PutObjectCommand).map(({ args }) => args[0].input)).toEqual([
      { Bucket: 'bucket', Key: 'reports/sweep-1/report.json', Body: '{"a":1}\n', ContentType: 'application/json' },
      {
        Bucket: 'bucket',
        Key: 'reports/sweep-1/report.html',
        Body: '<p>é</p>',
        ContentType: 'text/html; charset=utf-8',
      },
    ]);
  });
});
