import { sweepConfigFrom } from '../../../src/config/sweepConfigFrom';
import { ConfigurationError } from '../../../src/domain/errors';

const BASE = { SWEEP_BUCKET_NAME: 'sweep-bucket' };

describe('sweepConfigFrom: the account-regions a sweep step holds open at once', () => {
  it.each([
    [undefined, 16],
    ['', 16],
    ['1', 1],
    ['64', 64],
  ])('SWEEP_ACCOUNT_REGIONS_IN_FLIGHT=%s gives %i', (value, expected) => {
    // Prepare
    const env = { ...BASE, ...(value !== undefined && { SWEEP_ACCOUNT_REGIONS_IN_FLIGHT: value }) };

    // Act
    const config = sweepConfigFrom(env);

    // Assess
    expect(config.accountRegionsInFlight).toBe(expected);
  });

  it.each(['0', '65', '2.5', 'all'])('refuses SWEEP_ACCOUNT_REGIONS_IN_FLIGHT=%s, naming it', (value) => {
    // Act
    const read = () => sweepConfigFrom({ ...BASE, SWEEP_ACCOUNT_REGIONS_IN_FLIGHT: value });

    // Assess
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(`SWEEP_ACCOUNT_REGIONS_IN_FLIGHT=${value} must be an integer from 1 to 64`);
  });
});
