/**
 * Certificate authorities RDS and DocumentDB sign server certificates with. `rds-ca-2019` expired in
 * August 2024, so it is not offered; clients must trust the chosen CA's bundle.
 */
export const SERVER_CAS = ["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"] as const;

/** The CA the stores use unless a caller picks another. */
export const DEFAULT_SERVER_CA = "rds-ca-rsa2048-g1";
