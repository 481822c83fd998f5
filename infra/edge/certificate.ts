import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { validationNames } from "./naming";
import { VALIDATION_RECORD_TTL } from "./settings";

type ValidationOption = aws.types.output.acm.CertificateDomainValidationOption;

export interface ValidatedCertificateArgs {
    domainName: string;
    /** Further names, each in the zone (`*.` allowed); a wildcard shares its base name's record. */
    subjectAlternativeNames?: string[];
    /** The public hosted zone the validation records go in. */
    zoneId: pulumi.Input<string>;
    /**
     * Keep the validation records on delete: another certificate of the account validates and renews
     * with the same CNAMEs (ACM gives every certificate for a name in an account the same record, in every region).
     */
    keepRecords?: boolean;
    /** Who asks, for the error message. */
    owner: string;
}

/** ACM's record for `name`; a wildcard and its base name share one. */
function validationOptionFor(options: ValidationOption[], name: string, owner: string): ValidationOption {
    const option = options.find((o) => o.domainName === name || o.domainName === `*.${name}`);
    if (!option) throw new Error(`${owner}: ACM returned no DNS validation record for ${name}.`);
    return option;
}

/**
 * An ACM certificate (in the region of `parent`'s provider), one DNS validation record per validated name,
 * and the wait for issuance (`<name>-certificate`, `<name>-validation-<domain>`, `<name>-certificate-validation`).
 * Returns the ARN as the validation hands it back, so whatever takes it waits for a certificate AWS can serve.
 * A replaced certificate is created first (Pulumi's default): its user moves to the new ARN, and the old
 * certificate, no longer in use, is deleted at the end of the update.
 */
export function dnsValidatedCertificate(name: string, args: ValidatedCertificateArgs, parent: pulumi.Resource): pulumi.Output<string> {
    const sans = args.subjectAlternativeNames ?? [];
    const certificate = new aws.acm.Certificate(`${name}-certificate`, {
        domainName: args.domainName,
        validationMethod: "DNS",
        ...(sans.length > 0 ? { subjectAlternativeNames: sans } : {}),
    }, { parent });

    const records = validationNames(args.domainName, sans).map((validated) => {
        const option = certificate.domainValidationOptions.apply((options) => validationOptionFor(options, validated, args.owner));
        return new aws.route53.Record(`${name}-validation-${validated}`, {
            zoneId: args.zoneId,
            name: option.resourceRecordName,
            type: option.resourceRecordType,
            records: [option.resourceRecordValue],
            ttl: VALIDATION_RECORD_TTL,
            // The CNAME (`_<hash>.<name>`) is the same for every certificate of the name: a re-created certificate,
            // a record left by an earlier one, or another certificate's, must not fail the update.
            allowOverwrite: true,
        }, { parent, ...(args.keepRecords ? { retainOnDelete: true } : {}) });
    });

    return new aws.acm.CertificateValidation(`${name}-certificate-validation`, {
        certificateArn: certificate.arn,
        validationRecordFqdns: records.map((r) => r.fqdn),
    }, { parent }).certificateArn;
}
