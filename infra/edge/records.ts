import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DomainConfig } from "../config/types";
import { HOSTNAME } from "../config/checks";
import { isInZone } from "./naming";

/** Where an alias record points: a load balancer's or a distribution's DNS name and canonical hosted zone. */
export interface AliasTarget {
    dnsName: pulumi.Input<string>;
    zoneId: pulumi.Input<string>;
}

export interface PublicRecordsArgs {
    /** `baseline:domain`: the name served and the public hosted zone it is in. */
    domain: DomainConfig;
    /** The hosted zone's id (the load balancer looks it up). */
    hostedZoneId: pulumi.Input<string>;
    /**
     * What the domain points at: the distribution (IPv4 and IPv6, A and AAAA), or, without CloudFront, the
     * load balancer (IPv4 only: an AAAA alias would answer with addresses an ipv4 load balancer does not have).
     */
    entry: AliasTarget & { kind: "distribution" | "loadBalancer" };
    /** Behind CloudFront: the load balancer's own name (`origin.<domain>`), where CloudFront connects. */
    origin?: AliasTarget & { name: string };
    /**
     * Where the domain's A record was registered before this component existed (`edge-alias` under the
     * `LoadBalancer`): the record keeps its identity through an alias, so no update deletes and re-creates
     * the name clients resolve (a create-then-delete would remove the record the create had just written).
     */
    formerA?: { name: string; parent: pulumi.Resource };
}

/** Every problem with the arguments, each naming the argument, the value and what is allowed. */
export function publicRecordsProblems(args: PublicRecordsArgs): string[] {
    const origin = args.origin;
    if (!origin) return [];
    if (!HOSTNAME.test(origin.name) || !isInZone(origin.name, args.domain.zoneName) || origin.name === args.domain.name) {
        return [`origin.name = ${JSON.stringify(origin.name)} is not allowed: expected a DNS name inside ${JSON.stringify(args.domain.zoneName)} other than the domain ${JSON.stringify(args.domain.name)}`];
    }
    return [];
}

/**
 * The stack's public DNS records in Route 53: the domain as an alias of the public entry, and behind
 * CloudFront the load balancer's own name. Alias records, so no TTL and no addresses to keep current.
 * No `allowOverwrite`: a record already there for a name is someone else's, and the update stops.
 */
export class PublicRecords extends pulumi.ComponentResource {
    /** The name clients resolve. */
    readonly fqdn: pulumi.Output<string>;

    constructor(name: string, args: PublicRecordsArgs, opts?: pulumi.ComponentResourceOptions) {
        const problems = publicRecordsProblems(args);
        if (problems.length > 0) throw new Error(`PublicRecords has invalid arguments:\n  - ${problems.join("\n  - ")}`);
        super("baseline:edge:PublicRecords", name, {}, opts);
        const { entry, domain } = args;
        // Route 53 cannot evaluate a distribution's health; a load balancer's it can (no healthy target, no answer).
        const alias = (target: AliasTarget, evaluateTargetHealth: boolean) => [{ name: target.dnsName, zoneId: target.zoneId, evaluateTargetHealth }];
        const health = entry.kind === "loadBalancer";

        const a = new aws.route53.Record(`${name}-a`, { zoneId: args.hostedZoneId, name: domain.name, type: "A", aliases: alias(entry, health) }, {
            parent: this,
            ...(args.formerA ? { aliases: [{ name: args.formerA.name, parent: args.formerA.parent }] } : {}),
        });
        if (entry.kind === "distribution") {
            new aws.route53.Record(`${name}-aaaa`, { zoneId: args.hostedZoneId, name: domain.name, type: "AAAA", aliases: alias(entry, false) }, { parent: this });
        }
        if (args.origin) {
            new aws.route53.Record(`${name}-origin`, { zoneId: args.hostedZoneId, name: args.origin.name, type: "A", aliases: alias(args.origin, true) }, { parent: this });
        }
        this.fqdn = a.fqdn;
        this.registerOutputs({ fqdn: this.fqdn });
    }
}
