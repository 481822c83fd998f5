import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { CacheConfig } from "../config/types";
import { AUTH_TOKEN_LENGTH, AUTH_TOKEN_SPECIALS } from "./redis-settings";

/** The Redis AUTH token and its secret. */
export interface RedisAuthToken {
    /** The token, secret in state and on the wire. */
    value: pulumi.Output<string>;
    /** `authTokenUpdateStrategy` of the replication group. */
    updateStrategy: pulumi.Input<"SET" | "ROTATE">;
}

export function redisAuthToken(name: string, cache: CacheConfig, parent: pulumi.Resource): RedisAuthToken {
    const token = new random.RandomPassword(
        `${name}-auth-token`,
        { length: AUTH_TOKEN_LENGTH, special: true, overrideSpecial: AUTH_TOKEN_SPECIALS, minLower: 1, minUpper: 1, minNumeric: 1 },
        { parent },
    );
    // Explicit, as the provider dropped its default: a new token works beside the old one while clients move over.
    const updateStrategy = "ROTATE";
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
            // No rotation Lambda: a new token comes from replacing the RandomPassword, which
            // ElastiCache applies with its ROTATE strategy (old and new both valid meanwhile).
            tags: { rotation: "manual" },
        },
        { parent },
    );
}

/** The secret's value. */
export function authTokenSecretValue(name: string, secret: aws.secretsmanager.Secret, token: RedisAuthToken, parent: pulumi.Resource) {
    return new aws.secretsmanager.SecretVersion(`${name}-auth-secret-value`, { secretId: secret.id, secretString: token.value }, { parent });
}
