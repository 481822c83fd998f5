import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Untagged images (superseded pushes, failed builds) go after this many days. */
export const UNTAGGED_IMAGE_DAYS = 7;

/**
 * Untagged images expire after {@link UNTAGGED_IMAGE_DAYS} days; of tagged ones, the newest `imagesToKeep`
 * stay. The rule counts pushes, not deployments: keep enough that a rollback target is still there.
 */
export function lifecyclePolicy(imagesToKeep: number) {
    return {
        rules: [
            {
                rulePriority: 1,
                description: `Expire untagged images ${UNTAGGED_IMAGE_DAYS} days after push`,
                selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: UNTAGGED_IMAGE_DAYS },
                action: { type: "expire" },
            },
            {
                rulePriority: 2,
                description: `Keep the ${imagesToKeep} most recent tagged images`,
                selection: { tagStatus: "tagged", tagPatternList: ["*"], countType: "imageCountMoreThan", countNumber: imagesToKeep },
                action: { type: "expire" },
            },
        ],
    };
}

export interface RepositoryArgs {
    name: string;
    kmsKeyArn: pulumi.Input<string>;
    imagesToKeep: number;
    /** prod: protect and keep on delete, never force-delete (images are what the service runs). */
    protect: boolean;
}

/**
 * The service's repository: scanned on push, immutable tags (a tag always names the image that was
 * scanned), encrypted with a customer key. Unprotected (staging), `forceDelete` lets a destroy remove a
 * repository that still holds images; ECR refuses otherwise.
 */
export function createRepository(logicalName: string, args: RepositoryArgs, parent: pulumi.Resource) {
    const repository = new aws.ecr.Repository(
        logicalName,
        {
            name: args.name,
            imageScanningConfiguration: { scanOnPush: true },
            imageTagMutability: "IMMUTABLE",
            // ECR can only set the key at creation: a change replaces the repository, and protect stops that in prod.
            encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
            forceDelete: !args.protect,
            tags: { Name: args.name },
        },
        { parent, protect: args.protect, retainOnDelete: args.protect },
    );
    const lifecycle = new aws.ecr.LifecyclePolicy(
        `${logicalName}-lifecycle`,
        { repository: repository.name, policy: JSON.stringify(lifecyclePolicy(args.imagesToKeep)) },
        { parent },
    );
    return { repository, lifecycle };
}
