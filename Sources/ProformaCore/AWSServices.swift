/// An AWS service as usage data names it: by code (CUR `lineItem/ProductCode`, FOCUS `x_ServiceCode`) or by name
/// (CUR `product/ProductName`, FOCUS `ServiceName`, which FOCUS files without AWS's extension columns carry alone).
public struct AWSService: Sendable, Hashable {
    /// The product code: `AmazonEC2`.
    public var code: String
    /// The product name: `Amazon Elastic Compute Cloud`.
    public var name: String
    /// The FOCUS `ServiceCategory`.
    public var category: String
    /// Other names the service has gone by in usage data.
    public var otherNames: [String]

    public init(code: String, name: String, category: String, otherNames: [String] = []) {
        self.code = code
        self.name = name
        self.category = category
        self.otherNames = otherNames
    }

    /// The code and every name, each once (a few services are named by their code).
    public var spellings: [String] { [code] + ([name] + otherNames).filter { $0 != code } }
}

/// The AWS services proforma knows by code and by name, so that a rule or filter written with either matches data
/// written with either. It cannot list every AWS service: a service it does not know is matched as written.
public enum AWSServiceCatalogue {
    /// The services, by product code. Names as AWS writes them in CUR `product/ProductName` and FOCUS `ServiceName`;
    /// categories as FOCUS `ServiceCategory` (after the FinOps Foundation's focus_converters mapping).
    public static let services: [AWSService] = [
        AWSService(code: "AmazonEC2", name: "Amazon Elastic Compute Cloud", category: "Compute"),
        AWSService(code: "AWSDataTransfer", name: "AWS Data Transfer", category: "Networking"),
        AWSService(code: "AmazonS3", name: "Amazon Simple Storage Service", category: "Storage"),
        AWSService(code: "AmazonRDS", name: "Amazon Relational Database Service", category: "Databases"),
        AWSService(code: "AWSLambda", name: "AWS Lambda", category: "Compute"),
        AWSService(code: "AmazonECS", name: "Amazon Elastic Container Service", category: "Compute"),
        AWSService(
            code: "AmazonEKS", name: "Amazon Elastic Kubernetes Service", category: "Compute",
            otherNames: ["Amazon Elastic Container Service for Kubernetes"]),
        AWSService(
            code: "AmazonECR", name: "Amazon EC2 Container Registry (ECR)", category: "Compute",
            otherNames: ["Amazon Elastic Container Registry"]),
        AWSService(
            code: "AmazonCloudWatch", name: "AmazonCloudWatch", category: "Management and Governance",
            otherNames: ["Amazon CloudWatch"]),
        AWSService(code: "AmazonRoute53", name: "Amazon Route 53", category: "Networking"),
        AWSService(code: "AmazonDynamoDB", name: "Amazon DynamoDB", category: "Databases"),
        AWSService(code: "awskms", name: "AWS Key Management Service", category: "Security"),
        AWSService(code: "AWSQueueService", name: "Amazon Simple Queue Service", category: "Integration"),
        AWSService(code: "AmazonSNS", name: "Amazon Simple Notification Service", category: "Integration"),
        AWSService(code: "AWSELB", name: "Elastic Load Balancing", category: "Networking"),
        AWSService(code: "AmazonCloudFront", name: "Amazon CloudFront", category: "Networking"),
        AWSService(code: "AmazonVPC", name: "Amazon Virtual Private Cloud", category: "Networking"),
        AWSService(code: "AmazonEFS", name: "Amazon Elastic File System", category: "Storage"),
        AWSService(code: "AmazonFSx", name: "Amazon FSx", category: "Storage"),
        AWSService(
            code: "AmazonGlacier", name: "Amazon Glacier", category: "Storage",
            otherNames: ["Amazon S3 Glacier"]),
        AWSService(code: "AmazonElastiCache", name: "Amazon ElastiCache", category: "Databases"),
        AWSService(code: "AmazonRedshift", name: "Amazon Redshift", category: "Databases"),
        AWSService(code: "AmazonDocDB", name: "Amazon DocumentDB (with MongoDB compatibility)", category: "Databases"),
        AWSService(code: "AmazonNeptune", name: "Amazon Neptune", category: "Databases"),
        AWSService(code: "AmazonKinesis", name: "Amazon Kinesis", category: "Analytics"),
        AWSService(code: "AmazonKinesisFirehose", name: "Amazon Kinesis Firehose", category: "Analytics"),
        AWSService(code: "AmazonMSK", name: "Amazon Managed Streaming for Apache Kafka", category: "Analytics"),
        AWSService(code: "AmazonMQ", name: "Amazon MQ", category: "Integration"),
        AWSService(
            code: "AmazonES", name: "Amazon OpenSearch Service", category: "Analytics",
            otherNames: ["Amazon Elasticsearch Service"]),
        AWSService(code: "AmazonAthena", name: "Amazon Athena", category: "Analytics"),
        AWSService(code: "AWSGlue", name: "AWS Glue", category: "Analytics"),
        AWSService(code: "AmazonQuickSight", name: "Amazon QuickSight", category: "Analytics"),
        AWSService(code: "AmazonSageMaker", name: "Amazon SageMaker", category: "AI and Machine Learning"),
        AWSService(code: "AmazonBedrock", name: "Amazon Bedrock", category: "AI and Machine Learning"),
        AWSService(code: "AmazonApiGateway", name: "Amazon API Gateway", category: "Networking"),
        AWSService(code: "AmazonStates", name: "AWS Step Functions", category: "Integration"),
        AWSService(code: "AWSCloudTrail", name: "AWS CloudTrail", category: "Management and Governance"),
        AWSService(code: "AWSConfig", name: "AWS Config", category: "Management and Governance"),
        AWSService(code: "AWSSystemsManager", name: "AWS Systems Manager", category: "Management and Governance"),
        AWSService(code: "AWSCloudShell", name: "AWS CloudShell", category: "Developer Tools"),
        AWSService(code: "AWSSecretsManager", name: "AWS Secrets Manager", category: "Security"),
        AWSService(code: "AWSSecurityHub", name: "AWS Security Hub", category: "Security"),
        AWSService(code: "AmazonGuardDuty", name: "Amazon GuardDuty", category: "Security"),
        AWSService(code: "AmazonInspectorV2", name: "Amazon Inspector", category: "Security"),
        AWSService(code: "awswaf", name: "AWS WAF", category: "Security"),
        AWSService(code: "AWSShield", name: "AWS Shield", category: "Security"),
        AWSService(code: "AmazonCognito", name: "Amazon Cognito", category: "Security"),
        AWSService(code: "AWSBackup", name: "AWS Backup", category: "Storage"),
        AWSService(code: "AWSDirectConnect", name: "AWS Direct Connect", category: "Networking"),
        AWSService(code: "AWSGlobalAccelerator", name: "AWS Global Accelerator", category: "Networking"),
        AWSService(code: "AWSTransfer", name: "AWS Transfer Family", category: "Migration"),
        AWSService(code: "AmazonSES", name: "Amazon Simple Email Service", category: "Business Applications"),
        AWSService(code: "AmazonLightsail", name: "Amazon Lightsail", category: "Compute"),
        AWSService(code: "AmazonWorkSpaces", name: "Amazon WorkSpaces", category: "Other"),
        AWSService(code: "AmazonTimestream", name: "Amazon Timestream", category: "Databases"),
        AWSService(code: "AWSIoT", name: "AWS IoT", category: "Internet of Things"),
        AWSService(
            code: "AWSMigrationHubRefactorSpaces", name: "AWS Migration Hub Refactor Spaces", category: "Migration"),
        AWSService(code: "AWSCostExplorer", name: "AWS Cost Explorer", category: "Management and Governance"),
        AWSService(code: "ComputeSavingsPlans", name: "Savings Plans for AWS Compute usage", category: "Compute"),
        AWSService(code: "AWSSupportBusiness", name: "AWS Support (Business)", category: "Other"),
        AWSService(code: "AWSSupportEnterprise", name: "AWS Support (Enterprise)", category: "Other"),
        AWSService(code: "AWSSupportEnterpriseOnRamp", name: "AWS Support (Enterprise On-Ramp)", category: "Other"),
        AWSService(code: "AWSDeveloperSupport", name: "AWS Support (Developer)", category: "Other"),
    ]

    private static let bySpelling: [String: AWSService] = {
        var table: [String: AWSService] = [:]
        for service in services {
            for spelling in service.spellings where table[spelling] == nil { table[spelling] = service }
        }
        return table
    }()

    /// The service a code or name stands for (exact spelling), or nil when the catalogue does not know it.
    public static func service(_ codeOrName: String) -> AWSService? {
        bySpelling[codeOrName]
    }

    /// The code a code or name stands for; the text itself when the catalogue does not know it.
    public static func code(_ codeOrName: String) -> String {
        bySpelling[codeOrName]?.code ?? codeOrName
    }

    /// Every spelling of the service a code or name stands for (code first); just the text when unknown.
    public static func spellings(_ codeOrName: String) -> [String] {
        bySpelling[codeOrName]?.spellings ?? [codeOrName]
    }

    /// The form of a service as configuration writes it: a code (`AmazonEC2`) or a name (`Amazon Elastic Compute
    /// Cloud`, `AWS Support (Business)`), starting with a letter or digit.
    public static let pattern = "[a-zA-Z0-9][a-zA-Z0-9 ()._&/:,+-]*"

    /// Whether `text` matches `pattern` and has at most 128 bytes.
    public static func isWellFormed(_ text: String) -> Bool {
        guard let first = text.utf8.first, text.utf8.count <= 128, isAlphanumeric(first) else { return false }
        return text.utf8.allSatisfy { isAlphanumeric($0) || " ()._&/:,+-".utf8.contains($0) }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }

    /// Every code and name the catalogue knows, sorted (for suggestions).
    public static let allSpellings: [String] = bySpelling.keys.sorted()
}
