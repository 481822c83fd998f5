import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LoadBalancerArgs, OriginVerificationArgs } from "./args";
import { dnsValidatedCertificate } from "./certificate";
import { loadBalancerName, publicUrl } from "./naming";
import { FORBIDDEN, HTTPS_PORT, HTTP_PORT, LOAD_BALANCER_HARDENING, NOT_FOUND, REDIRECT_TO_HTTPS } from "./settings";
import { validateLoadBalancerArgs } from "./validate";

export { LoadBalancerArgs };

/**
 * The internet-facing application load balancer: HTTPS on 443 with an ACM certificate validated in
 * Route 53, and access logs in the log bucket. Services attach listener rules to `httpsListenerArn`.
 * As the public entry: port 80 only redirects to HTTPS, unmatched requests get a 404. Behind CloudFront
 * (`originVerification`): no port 80, and what no service's rule (each requiring the origin header)
 * matches gets a 403. The DNS records pointing at it are `PublicRecords`' (records.ts).
 */
export class LoadBalancer extends pulumi.ComponentResource {
    readonly arn: pulumi.Output<string>;
    /** `app/<name>/<id>`: the `LoadBalancer` dimension and, with a target group's, the ALBRequestCountPerTarget resource label. */
    readonly arnSuffix: pulumi.Output<string>;
    readonly dnsName: pulumi.Output<string>;
    /** The load balancer's canonical hosted zone, for alias records. */
    readonly zoneId: pulumi.Output<string>;
    readonly httpsListenerArn: pulumi.Output<string>;
    /** Known once the certificate is issued. */
    readonly certificateArn: pulumi.Output<string>;
    /** `https://<domain>` */
    readonly url: pulumi.Output<string>;
    /** The public Route 53 hosted zone `domain.zoneName` (where the certificate is validated). */
    readonly hostedZoneId: pulumi.Output<string>;
    /** ARN of the secret that keeps CloudFront's origin header value; only behind CloudFront. */
    readonly originSecretArn?: pulumi.Output<string>;

    constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        // Before super: bad arguments fail with nothing registered.
        validateLoadBalancerArgs(args);
        super("baseline:edge:LoadBalancer", name, {}, opts);
        const { domain } = args;

        const alb = new aws.lb.LoadBalancer(`${name}-alb`, {
            name: loadBalancerName(args.namePrefix),
            ...LOAD_BALANCER_HARDENING,
            desyncMitigationMode: args.desyncMitigationMode ?? "defensive",
            subnets: args.subnetIds,
            securityGroups: args.securityGroupIds,
            idleTimeout: args.loadBalancer.idleTimeoutSeconds,
            enableDeletionProtection: args.deletionProtection ?? true,
            accessLogs: { bucket: args.accessLogs.bucketName, prefix: args.accessLogs.prefix, enabled: true },
        }, { parent: this, dependsOn: [args.accessLogs.bucketPolicy, ...(args.internetGateway ? [args.internetGateway] : [])] });

        const zoneId = aws.route53.getZoneOutput({ name: domain.zoneName, privateZone: false }, { parent: this }).zoneId;
        this.hostedZoneId = zoneId;
        const validatedCertificateArn = dnsValidatedCertificate(name, {
            domainName: domain.name, subjectAlternativeNames: args.subjectAlternativeNames, zoneId, owner: "LoadBalancer",
        }, this);

        const behindCloudFront = args.originVerification !== undefined;
        const https = new aws.lb.Listener(`${name}-https`, {
            loadBalancerArn: alb.arn,
            port: HTTPS_PORT,
            protocol: "HTTPS",
            sslPolicy: args.loadBalancer.sslPolicy,
            certificateArn: validatedCertificateArn,
            // Behind CloudFront every service's rule requires the origin header: what reaches the default came some other way.
            defaultActions: [behindCloudFront ? FORBIDDEN : NOT_FOUND],
        }, { parent: this });
        // Only CloudFront reaches a load balancer behind it, and only over HTTPS: no port 80 to answer.
        if (!behindCloudFront) {
            new aws.lb.Listener(`${name}-http`, {
                loadBalancerArn: alb.arn,
                port: HTTP_PORT,
                protocol: "HTTP",
                defaultActions: [REDIRECT_TO_HTTPS],
            }, { parent: this });
        }
        this.originSecretArn = args.originVerification ? this.originSecret(name, args.namePrefix, args.originVerification) : undefined;

        this.arn = alb.arn;
        this.arnSuffix = alb.arnSuffix;
        this.dnsName = alb.dnsName;
        this.zoneId = alb.zoneId;
        this.httpsListenerArn = https.arn;
        this.certificateArn = validatedCertificateArn;
        this.url = pulumi.output(publicUrl(domain.name));
        this.registerOutputs({
            arn: this.arn,
            arnSuffix: this.arnSuffix,
            dnsName: this.dnsName,
            zoneId: this.zoneId,
            httpsListenerArn: this.httpsListenerArn,
            certificateArn: this.certificateArn,
            url: this.url,
            hostedZoneId: this.hostedZoneId,
            ...(this.originSecretArn ? { originSecretArn: this.originSecretArn } : {}),
        });
    }

    /**
     * The origin header's value in Secrets Manager: the one place an operator reads it (to test the
     * origin directly, or to rotate it), encrypted with the data key. Its ARN is the only output.
     */
    private originSecret(name: string, namePrefix: string, origin: OriginVerificationArgs): pulumi.Output<string> {
        const secret = new aws.secretsmanager.Secret(`${name}-origin-secret`, {
            namePrefix: `${namePrefix}-origin-verify-`,
            description: `Value of the ${origin.headerName} header CloudFront adds to requests to ${namePrefix}-alb; the load balancer forwards no request without it`,
            kmsKeyId: origin.kmsKeyArn,
            // No rotation Lambda: a new value has to reach CloudFront and the listener rules together (see the README).
            tags: { rotation: "manual" },
        }, { parent: this });
        new aws.secretsmanager.SecretVersion(`${name}-origin-secret-value`, { secretId: secret.id, secretString: pulumi.secret(origin.value) }, { parent: this });
        return secret.arn;
    }
}
