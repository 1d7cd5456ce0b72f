import { createClients } from '../../../src/aws/clients';

/** Init probe: the function's SDK clients (`createClients`) and nothing else, bundled like the function. */
const clients = createClients();

export const handler = async (): Promise<number> => Object.keys(clients).length;
