import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import { enabledRegions } from '../../../src/aws/enabledRegions';
import { partitionOf } from '../../../src/events/partitionOf';
import { LocalGateway, localAccount } from '../../../tools/dev';

// Account Management ListRegions (https://docs.aws.amazon.com/accounts/latest/reference/API_ListRegions.html):
// REST-JSON POST /listRegions, RegionOptStatusContains, MaxResults 1-50, NextToken. `--region all` of the CLI calls
// it (src/aws/enabledRegions.ts); the local cloud answers every region of the caller's partition.
describe('the local Account API: ListRegions for --region all', () => {
  const gateway = new LocalGateway();

  beforeAll(async () => {
    gateway.registerRest('account', localAccount());
    await gateway.start();
  });

  afterAll(async () => {
    await gateway.stop();
  });

  const clientIn = (region: string) =>
    new AccountClient({
      region,
      endpoint: gateway.url,
      credentials: { accessKeyId: '111111111111', secretAccessKey: 'local' },
    });

  it.each([
    ['us-east-1', 'aws', 'eu-west-1'],
    ['cn-north-1', 'aws-cn', 'cn-northwest-1'],
  ])('lists the regions of the %s caller’s partition (%s), all pages', async (region, partition, another) => {
    // Act
    const regions = await enabledRegions(clientIn(region));

    // Assess: every one a region the SDK's partition data knows, of the caller's partition.
    expect(regions).toContain(region);
    expect(regions).toContain(another);
    expect(regions.filter((item) => partitionOf(item)?.name !== partition)).toEqual([]);
    expect(new Set(regions).size).toBe(regions.length);
  });

  it('pages by MaxResults and NextToken, without pseudo-regions such as aws-global', async () => {
    // Prepare
    const client = clientIn('us-east-1');
    const all = await enabledRegions(client);

    // Act
    const paged: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const output = await client.send(new ListRegionsCommand({ MaxResults: 10, NextToken: token }));
      paged.push(...(output.Regions ?? []).map(({ RegionName }) => String(RegionName)));
      token = output.NextToken;
      pages++;
    } while (token !== undefined);

    // Assess
    expect(paged.sort()).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 10));
    expect(all).not.toContain('aws-global');
  });
});
