/** Where the function runs: its partition, region and account. */
export interface Deployment {
  partition: string;
  region: string;
  account: string;
}
