/**
 * With `manageMasterUserPassword`, RDS and DocumentDB keep the master password in a Secrets Manager
 * secret they create and rotate; the program only ever handles that secret's ARN.
 */
export function masterUserSecretArn(resource: string, secrets: { secretArn: string }[] | undefined): string {
    const arn = secrets?.[0]?.secretArn;
    if (!arn) {
        throw new Error(`${resource} reported no master user secret: manageMasterUserPassword must be on, so the password lives only in Secrets Manager.`);
    }
    return arn;
}
