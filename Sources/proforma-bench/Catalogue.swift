/// Service codes, usage types and operations as they appear in real Cost and Usage Reports, for the generated
/// pricing rules and custom line items.
enum Catalogue {
    /// Service codes for SERVICE rules (at least 3 distinct ones are needed per plan).
    static let services = [
        "AmazonEC2", "AmazonS3", "AmazonRDS", "AWSLambda", "AmazonCloudFront", "AmazonDynamoDB", "AmazonCloudWatch",
        "AmazonVPC", "AmazonEKS", "AmazonECS", "AmazonSageMaker", "AmazonRoute53", "AmazonElastiCache",
        "AmazonRedshift", "AWSGlue", "AmazonKinesis", "AmazonSNS", "AWSQueueService", "AmazonES", "AWSELB",
    ]

    /// A SKU a rule can target. Each service uses one qualifier style throughout (both, usage type only, or
    /// operation only), so two SKU rules of a plan can never tie on a line (usage-type-only vs operation-only).
    struct SKU {
        var service: String
        var usageType: String?
        var operation: String?
    }

    /// Interleaved by service so that consecutive entries differ.
    static let skus: [SKU] = [
        SKU(service: "AmazonEC2", usageType: "USE1-BoxUsage:m5.large", operation: "RunInstances"),
        SKU(service: "AmazonS3", usageType: "USE1-TimedStorage-ByteHrs", operation: nil),
        SKU(service: "AmazonRDS", usageType: "USE1-InstanceUsage:db.r5.large", operation: "CreateDBInstance:0014"),
        SKU(service: "AmazonCloudWatch", usageType: nil, operation: "PutLogEvents"),
        SKU(service: "AWSLambda", usageType: "USE1-Lambda-GB-Second", operation: nil),
        SKU(service: "AmazonEC2", usageType: "USE1-BoxUsage:c5.xlarge", operation: "RunInstances"),
        SKU(service: "AmazonDynamoDB", usageType: "USE1-ReadCapacityUnit-Hrs", operation: "CommittedThroughput"),
        SKU(service: "AmazonS3", usageType: "USE1-Requests-Tier1", operation: nil),
        SKU(service: "AmazonCloudFront", usageType: "US-DataTransfer-Out-Bytes", operation: nil),
        SKU(service: "AmazonEC2", usageType: "USW2-BoxUsage:r5.2xlarge", operation: "RunInstances"),
        SKU(service: "AmazonRDS", usageType: "USE1-RDS:GP2-Storage", operation: "CreateDBInstance:0014"),
        SKU(service: "AmazonCloudWatch", usageType: nil, operation: "GetMetricData"),
        SKU(service: "AmazonS3", usageType: "EUW1-TimedStorage-ByteHrs", operation: nil),
        SKU(service: "AmazonEC2", usageType: "USE1-EBS:VolumeUsage.gp3", operation: "CreateVolume-Gp3"),
        SKU(service: "AWSLambda", usageType: "USE1-Request", operation: nil),
        SKU(service: "AmazonDynamoDB", usageType: "USE1-TimedStorage-ByteHrs", operation: "PayPerRequestThroughput"),
        SKU(service: "AmazonCloudFront", usageType: "EU-DataTransfer-Out-Bytes", operation: nil),
        SKU(service: "AmazonEC2", usageType: "EUC1-BoxUsage:t3.medium", operation: "RunInstances"),
        SKU(service: "AmazonS3", usageType: "USE1-Requests-Tier2", operation: nil),
        SKU(service: "AmazonRDS", usageType: "EUW1-InstanceUsage:db.m5.xlarge", operation: "CreateDBInstance:0002"),
        SKU(service: "AmazonEC2", usageType: "USE1-DataTransfer-Regional-Bytes", operation: "InterZone-In"),
        SKU(service: "AmazonCloudWatch", usageType: nil, operation: "MetricStorage:AWS/EC2"),
        SKU(service: "AmazonEC2", usageType: "APS1-BoxUsage:m6g.large", operation: "RunInstances"),
    ]

    static let regions = [
        "USE1", "USE2", "USW1", "USW2", "CAN1", "EUC1", "EUW1", "EUW2", "EUW3", "EUN1", "EUS1", "APN1", "APN2",
        "APN3", "APS1", "APS2", "APS3", "SAE1", "MES1", "AFS1",
    ]
    static let instanceTypes = [
        "t3.micro", "t3.small", "t3.large", "m5.xlarge", "m5.2xlarge", "m5.4xlarge", "m6i.large", "m6i.xlarge",
        "m7g.large", "m7g.xlarge", "c5.large", "c5.2xlarge", "c6i.large", "c6i.4xlarge", "c7g.xlarge", "r5.large",
        "r5.xlarge", "r6i.large", "r6i.2xlarge", "r7g.large", "x2idn.16xlarge", "i3.large", "i4i.xlarge", "g5.xlarge",
        "p3.2xlarge", "inf2.xlarge", "t4g.medium", "z1d.large", "d3.xlarge", "h1.2xlarge",
    ]

    /// Extra EC2 SKUs for plans with more than 10 rules: Windows instances (`RunInstances:0002`), which the
    /// entries of `skus` never use, so the two sets never share a target.
    static func extraSKU(_ index: Int) -> SKU {
        let region = regions[index % regions.count]
        let type = instanceTypes[(index / regions.count) % instanceTypes.count]
        return SKU(service: "AmazonEC2", usageType: "\(region)-BoxUsage:\(type)", operation: "RunInstances:0002")
    }

    static var extraSKUCount: Int { regions.count * instanceTypes.count }

    static let billingEntities = ["AWS Marketplace", "AWS", "AISPL"]

    static let segments = ["enterprise", "smb", "public-sector", "startup", "internal"]
}
