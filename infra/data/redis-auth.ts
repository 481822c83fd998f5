import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { CacheConfig } from "../config/types";
import { AUTH_TOKEN_LENGTH, AUTH_TOKEN_SPECIALS, authTokenKeepers, authTokenUpdateStrategy, keptAuthTokenVersion } from "./redis-settings";

/**
 * The Redis AUTH token and its secret. Rotation is two `pulumi up`s driven by config:
 *  1. raise `authTokenVersion`: a new token is drawn and applied with `ROTATE`, so the old one stays valid
 *     while the services restart and read the new secret value;
 *  2. set `retirePreviousAuthToken`: the same token is applied with `SET`, the only one ElastiCache accepts.
 */
export interface RedisAuthToken {
    /** The token, secret in state and on the wire. */
    value: pulumi.Output<string>;
    /** `authTokenUpdateStrategy` of the replication group. */
    updateStrategy: pulumi.Input<"SET" | "ROTATE">;
}

export function redisAuthToken(name: string, cache: CacheConfig, parent: pulumi.Resource): RedisAuthToken {
    const keepers = authTokenKeepers(cache.authTokenVersion);
    const token = new random.RandomPassword(
        `${name}-auth-token`,
        {
            length: AUTH_TOKEN_LENGTH, special: true, overrideSpecial: AUTH_TOKEN_SPECIALS, minLower: 1, minUpper: 1, minNumeric: 1,
            ...(keepers ? { keepers } : {}),
        },
        // While retiring, the token cannot change: its keepers then tell which version is deployed.
        { parent, ...(cache.retirePreviousAuthToken ? { ignoreChanges: ["keepers"] } : {}) },
    );
    const updateStrategy = cache.retirePreviousAuthToken
        ? token.keepers.apply((kept) => authTokenUpdateStrategy(name, cache, keptAuthTokenVersion(kept)))
        : "ROTATE";
    // `result` is secret already; saying so here keeps the token secret whatever generates it.
    return { value: pulumi.secret(token.result), updateStrategy };
}

export interface AuthTokenSecretArgs {
    groupId: string;
    dataKeyArn: pulumi.Input<string>;
}

/** The Secrets Manager secret the services read the token from (only its ARN leaves the stack). */
export function authTokenSecret(name: string, args: AuthTokenSecretArgs, parent: pulumi.Resource): aws.secretsmanager.Secret {
    return new aws.secretsmanager.Secret(
        `${name}-auth-secret`,
        {
            namePrefix: `${args.groupId}-auth-token-`,
            description: `AUTH token of the ${args.groupId} Redis replication group`,
            kmsKeyId: args.dataKeyArn,
            // No rotation Lambda: rotation is the two config steps above.
            tags: { rotation: "manual" },
        },
        { parent },
    );
}

/**
 * The secret's value. A new token is a new version (secretString forces replacement), written only once
 * the group accepts it: a service restarting earlier would otherwise read a token ElastiCache refuses.
 */
export function authTokenSecretValue(name: string, secret: aws.secretsmanager.Secret, token: RedisAuthToken, group: pulumi.Resource, parent: pulumi.Resource) {
    return new aws.secretsmanager.SecretVersion(`${name}-auth-secret-value`, { secretId: secret.id, secretString: token.value }, { parent, dependsOn: [group] });
}
