import CZlib
import Foundation
import ProformaCore
import ProformaLoader
import ProformaModel

#if canImport(Glibc)
    import Glibc
#endif

// `proforma-bench usage`: writes a synthetic AWS usage file — legacy CUR, CUR 2.0 or FOCUS 1.0 CSV, plain or gzip —
// shaped like the real exports in ../shared/data: many accounts (optionally those of a proforma configuration), many
// services, usage types and operations, every line item type that billing-semantics.md §3 classifies, Reserved
// Instances and Savings Plans owned inside and outside the usage account's group, free-tier lines, marketplace
// lines, support, tax, credits and discounts. The same options and seed always give the same bytes.
//
// Rows are written from precompiled plans: for each (product, kind of line) the constant columns are joined into
// byte runs once, and only the per-row values (IDs, dates, amounts, accounts, ARNs) are formatted, from integers,
// into a large output buffer. Memory does not grow with the number of rows.

enum UsageGeneratorCommand {
    static let help = """
        usage: proforma-bench usage --format cur|cur2|focus --rows N -o FILE [options]

        Writes a synthetic AWS usage file for benchmarks and tests, and prints a one-line summary to stderr.

          --format F          cur   legacy Cost and Usage Report (lineItem/UnblendedCost … headers, 153 columns)
                              cur2  CUR 2.0 (snake_case headers, map columns as JSON, 125 columns)
                              focus FOCUS 1.0 as AWS exports it (BilledCost, ChargeCategory, x_ServiceCode …, NULL
                                    for empty values, 49 columns)
          --rows N            data rows, the header not counted (1_000_000 is accepted)
          --seed S            random seed (default 1); the same seed and options give byte-identical files
          --period YYYY-MM    a billing period; repeat it or separate with commas for several (default 2025-01);
                              rows are spread evenly over the periods, in period order
          --accounts-from DIR usage accounts from the billing groups and accounts of the proforma configuration in
                              DIR, its payer account, plus a few accounts in no group (reported as unassigned)
          --accounts N        synthetic usage accounts when there is no --accounts-from (default 100)
          --usage-scale K     every metered line stands for K times its quantity (default 1), so a small file
                              holds a realistic month of a customer
          --max-credit-percent P
                              hold an account's credits and refunds in a period to P % of its usage written so far
                              in that period (at least 0.01 each), so credits never outweigh usage
          --gzip              gzip the output (zlib, level 1, compressed on a second thread)
          -o, --output FILE   the file to write; - for standard output

        The summary line: format, rows, columns, accounts, periods, CSV bytes, file bytes, seconds, rows/s,
        MB/s (CSV bytes), and the totals of the actual (unblended / BilledCost) and public on-demand (ListCost) costs
        written, for comparison with a reader.
        """

    /// Runs the verb with the arguments after `usage`; returns the exit status.
    static func run(_ arguments: [String]) -> Int32 {
        do {
            guard let options = try UsageGeneratorOptions.parse(arguments) else {
                print(help)
                return 0
            }
            let generator = try UsageGenerator(options: options)
            let summary = try generator.run()
            FileHandle.standardError.write(Data((summary + "\n").utf8))
            return 0
        } catch let failure as UsageGeneratorFailure {
            FileHandle.standardError.write(Data("proforma-bench usage: \(failure.message)\n".utf8))
            return 64
        } catch {
            FileHandle.standardError.write(Data("proforma-bench usage: \(error)\n".utf8))
            return 1
        }
    }
}

struct UsageGeneratorFailure: Error {
    var message: String
}

enum UsageGeneratorFormat: String, CaseIterable {
    case cur, cur2, focus
}

struct UsageGeneratorOptions {
    var format = UsageGeneratorFormat.cur
    var rows = 0
    var seed: UInt64 = 1
    var periods: [BillingPeriod] = []
    var accountsFrom: String? = nil
    var accounts = 100
    var gzip = false
    var output = ""
    /// Every metered line stands for this many times its quantity (`--usage-scale`).
    var usageScale: Int64 = 1
    /// Credits and refunds of an account in a period are held to this percentage of its usage so far in the
    /// period (`--max-credit-percent`); nil: not held.
    var maxCreditPercent: Int64? = nil

    /// The options, or nil when help was asked for.
    static func parse(_ arguments: [String]) throws -> UsageGeneratorOptions? {
        var options = UsageGeneratorOptions()
        var sawFormat = false
        var sawRows = false
        var index = 0
        while index < arguments.count {
            var name = arguments[index]
            var attached: String? = nil
            if name.hasPrefix("--"), let equals = name.firstIndex(of: "=") {
                attached = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            func value() throws -> String {
                if let attached { return attached }
                index += 1
                guard index < arguments.count else { throw UsageGeneratorFailure(message: "\(name) needs a value") }
                return arguments[index]
            }
            func integer() throws -> Int {
                let text = try value()
                guard let number = Int(text.replacingOccurrences(of: "_", with: "")), number >= 0 else {
                    throw UsageGeneratorFailure(message: "\(name) must be a whole number, not \"\(text)\"")
                }
                return number
            }
            switch name {
            case "-h", "--help", "help":
                return nil
            case "--format":
                let text = try value()
                guard let format = UsageGeneratorFormat(rawValue: text.lowercased()) else {
                    throw UsageGeneratorFailure(message: "--format must be cur, cur2 or focus, not \"\(text)\"")
                }
                options.format = format
                sawFormat = true
            case "--rows":
                options.rows = try integer()
                sawRows = true
            case "--seed":
                let text = try value()
                guard let seed = UInt64(text.replacingOccurrences(of: "_", with: "")) else {
                    throw UsageGeneratorFailure(message: "--seed must be a whole number, not \"\(text)\"")
                }
                options.seed = seed
            case "--period":
                for part in try value().split(separator: ",") {
                    let text = part.trimmingCharacters(in: .whitespaces)
                    guard let period = BillingPeriod(text) else {
                        throw UsageGeneratorFailure(message: "--period takes YYYY-MM, not \"\(text)\"")
                    }
                    options.periods.append(period)
                }
            case "--accounts-from":
                options.accountsFrom = try value()
            case "--accounts":
                options.accounts = try integer()
                guard options.accounts >= 1 else {
                    throw UsageGeneratorFailure(message: "--accounts must be at least 1")
                }
            case "--usage-scale":
                options.usageScale = Int64(try integer())
                guard (1...1_000).contains(options.usageScale) else {
                    throw UsageGeneratorFailure(message: "--usage-scale must be from 1 to 1000")
                }
            case "--max-credit-percent":
                options.maxCreditPercent = Int64(try integer())
                guard options.maxCreditPercent! <= 100 else {
                    throw UsageGeneratorFailure(message: "--max-credit-percent must be from 0 to 100")
                }
            case "--gzip":
                options.gzip = true
            case "-o", "--output":
                options.output = try value()
            default:
                throw UsageGeneratorFailure(message: "unknown option \(name) (see proforma-bench usage --help)")
            }
            index += 1
        }
        guard sawFormat else { throw UsageGeneratorFailure(message: "--format cur|cur2|focus is required") }
        guard sawRows else { throw UsageGeneratorFailure(message: "--rows N is required") }
        guard !options.output.isEmpty else { throw UsageGeneratorFailure(message: "-o FILE is required") }
        if options.periods.isEmpty { options.periods = [BillingPeriod(year: 2025, month: 1)!] }
        options.periods = Array(Set(options.periods)).sorted()
        return options
    }
}

// MARK: - Random numbers

/// xoshiro256** seeded through SplitMix64: fast, and the same sequence on every platform.
struct UsageGenRandom {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    init(seed: UInt64) {
        var x = seed
        var state: [UInt64] = []
        for _ in 0..<4 {
            x &+= 0x9E37_79B9_7F4A_7C15
            state.append(UsageGenRandom.mix(x))
        }
        s0 = state[0]
        s1 = state[1]
        s2 = state[2]
        s3 = state[3]
    }

    /// SplitMix64's finaliser: a good 64-bit hash.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let product = s1 &* 5
        let result = ((product << 7) | (product >> 57)) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// A number in 0..<n (n > 0).
    @inline(__always)
    mutating func below(_ n: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// True with probability `p` percent.
    @inline(__always)
    mutating func percent(_ p: Int) -> Bool { below(100) < p }

    mutating func element<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// Picks an index with probability proportional to its weight, in constant time: a table of slots, each holding
/// the index whose share of the cumulative weight covers the slot's midpoint.
final class UsageGenTable {
    let slots: UnsafeMutablePointer<Int32>
    let shift: UInt64
    let isEmpty: Bool

    init(weights: [Int], minimumSize: Int = 4096) {
        var size = minimumSize
        while size < weights.count * 16 { size <<= 1 }
        shift = UInt64(64 - size.trailingZeroBitCount)
        slots = .allocate(capacity: size)
        let total = weights.reduce(0, +)
        isEmpty = total == 0
        var item = 0
        var cumulative = weights.first ?? 0
        for slot in 0..<size {
            while item < weights.count - 1 && (2 * slot + 1) * total >= 2 * size * cumulative {
                item += 1
                cumulative += weights[item]
            }
            slots[slot] = Int32(item)
        }
    }

    deinit { slots.deallocate() }

    @inline(__always)
    func pick(_ random: inout UsageGenRandom) -> Int { Int(slots[Int(truncatingIfNeeded: random.next() >> shift)]) }
}

// MARK: - Catalogue

/// Services, usage types, operations and public rates as AWS writes them (rates are public on-demand list prices,
/// adjusted per region).
enum UsageGenCatalogue {
    struct Region: Sendable {
        let code: String
        /// The usage type prefix (none for us-east-1, as AWS writes it).
        let prefix: String
        let short: String
        let name: String
        /// Price factor in percent of us-east-1.
        let factor: Int
        let weight: Int
    }

    static let regions: [Region] = [
        Region(code: "us-east-1", prefix: "", short: "USE1", name: "US East (N. Virginia)", factor: 100, weight: 50),
        Region(code: "us-west-2", prefix: "USW2-", short: "USW2", name: "US West (Oregon)", factor: 100, weight: 24),
        Region(code: "eu-west-1", prefix: "EU-", short: "EU", name: "EU (Ireland)", factor: 110, weight: 12),
        Region(code: "eu-central-1", prefix: "EUC1-", short: "EUC1", name: "EU (Frankfurt)", factor: 116, weight: 9),
        Region(
            code: "ap-southeast-2", prefix: "APS2-", short: "APS2", name: "Asia Pacific (Sydney)", factor: 124,
            weight: 5),
    ]

    enum Shape: Sendable {
        /// Instance hours: 1 hour mostly, sometimes part of one.
        case hours
        /// A whole number between 10^lo and 10^hi.
        case count(Int, Int)
        /// A quantity with four significant digits between 10^lo and 10^hi (lo ≥ −7).
        case quantity(Int, Int)
    }

    enum Use: Sendable { case none, ri, sp, riAndSP }

    enum Resource: Sendable {
        case none, instance, volume, snapshot, bucket, natGateway, address, loadBalancer, database, function, task,
            cluster, table, queue, key, logGroup, hostedZone, distribution
    }

    struct Item: Sendable {
        var code: String
        /// `{R}` stands for the region code, `{S}` for the region's short code; the region prefix is added in front
        /// unless the item is global or the usage type starts with `{`.
        var usageType: String
        var operation: String
        var family: String
        var unit: String
        var rate: String
        var shape: Shape
        /// `{r}` stands for the rate (`{r1k}`, `{r10k}`, `{r1m}`: per thousand, ten thousand, million units), `{l}`
        /// for the location.
        var description: String
        /// The description of its free-tier lines; nil when the item has no free tier.
        var free: String? = nil
        var use: Use = .none
        var resource: Resource = .none
        var daily = false
        var global = false
        var attributes: [(String, String)] = []
        /// Normalization factor × 10 (EC2 and RDS instances).
        var normalization = 0
        var instanceType = ""
        var weight = 10
    }

    /// Names and FOCUS categories of services, by code: the project's catalogue.
    static let services: [String: (name: String, category: String)] = {
        var table: [String: (name: String, category: String)] = [:]
        for service in AWSServiceCatalogue.services { table[service.code] = (service.name, service.category) }
        return table
    }()

    struct Instance: Sendable {
        let type: String
        let rate: String
        let vcpu: String
        let memory: String
        let normalization: Int
        let family: String
        let processor: String
        let weight: Int
        let free: Bool
    }

    static let instances: [Instance] = [
        Instance(
            type: "t3.micro", rate: "0.0104", vcpu: "2", memory: "1 GiB", normalization: 5, family: "General purpose",
            processor: "Intel Skylake E5 2686 v5", weight: 14, free: true),
        Instance(
            type: "t3.medium", rate: "0.0416", vcpu: "2", memory: "4 GiB", normalization: 20,
            family: "General purpose", processor: "Intel Skylake E5 2686 v5", weight: 14, free: false),
        Instance(
            type: "m5.large", rate: "0.096", vcpu: "2", memory: "8 GiB", normalization: 40, family: "General purpose",
            processor: "Intel Xeon Platinum 8175", weight: 22, free: false),
        Instance(
            type: "m5.xlarge", rate: "0.192", vcpu: "4", memory: "16 GiB", normalization: 80,
            family: "General purpose", processor: "Intel Xeon Platinum 8175", weight: 12, free: false),
        Instance(
            type: "c5.2xlarge", rate: "0.34", vcpu: "8", memory: "16 GiB", normalization: 160,
            family: "Compute optimized", processor: "Intel Xeon Platinum 8124M", weight: 8, free: false),
        Instance(
            type: "r5.4xlarge", rate: "1.008", vcpu: "16", memory: "128 GiB", normalization: 320,
            family: "Memory optimized", processor: "Intel Xeon Platinum 8175", weight: 4, free: false),
        Instance(
            type: "m6g.large", rate: "0.077", vcpu: "2", memory: "8 GiB", normalization: 40, family: "General purpose",
            processor: "AWS Graviton2 Processor", weight: 8, free: false),
        Instance(
            type: "c6i.large", rate: "0.085", vcpu: "2", memory: "4 GiB", normalization: 40,
            family: "Compute optimized", processor: "Intel Xeon 8375C (Ice Lake)", weight: 8, free: false),
    ]

    static func instanceAttributes(_ instance: Instance, os: String) -> [(String, String)] {
        [
            ("capacitystatus", "Used"), ("classicnetworkingsupport", "false"), ("clockSpeed", "3.1 GHz"),
            ("currentGeneration", "Yes"), ("dedicatedEbsThroughput", "Up to 4750 Mbps"),
            ("ecu", "Variable"), ("enhancedNetworkingSupported", "Yes"), ("instanceFamily", instance.family),
            ("instanceType", instance.type), ("instanceTypeFamily", String(instance.type.prefix { $0 != "." })),
            ("intelAvx2Available", "Yes"), ("intelAvxAvailable", "Yes"), ("intelTurboAvailable", "Yes"),
            ("licenseModel", os == "Windows" ? "License included" : "No License required"),
            ("marketoption", "OnDemand"), ("memory", instance.memory), ("networkPerformance", "Up to 10 Gigabit"),
            ("normalizationSizeFactor", decimalText(Int64(instance.normalization) * 1_000_000_000)),
            ("operatingSystem", os), ("physicalProcessor", instance.processor), ("preInstalledSw", "NA"),
            ("processorArchitecture", "64-bit"),
            ("processorFeatures", "Intel AVX; Intel AVX2; Intel AVX512; Intel Turbo"), ("storage", "EBS only"),
            ("tenancy", "Shared"), ("vcpu", instance.vcpu), ("vpcnetworkingsupport", "true"),
        ]
    }

    /// Every regional (or global) usage item.
    static var items: [Item] {
        var items: [Item] = []
        for instance in instances {
            items.append(
                Item(
                    code: "AmazonEC2", usageType: "BoxUsage:" + instance.type, operation: "RunInstances",
                    family: "Compute Instance", unit: "Hrs", rate: instance.rate, shape: .hours,
                    description: "${r} per On Demand Linux \(instance.type) Instance Hour",
                    free: instance.free
                        ? "$0.00 per Linux \(instance.type) instance-hour (or partial hour) under monthly free tier"
                        : nil,
                    use: .riAndSP, resource: .instance, attributes: instanceAttributes(instance, os: "Linux"),
                    normalization: instance.normalization, instanceType: instance.type, weight: instance.weight * 3))
        }
        for type in ["m5.large", "c5.2xlarge"] {
            let instance = instances.first { $0.type == type }!
            let windowsRate = type == "m5.large" ? "0.188" : "0.708"
            items.append(
                Item(
                    code: "AmazonEC2", usageType: "BoxUsage:" + type, operation: "RunInstances:0002",
                    family: "Compute Instance", unit: "Hrs", rate: windowsRate, shape: .hours,
                    description: "${r} per On Demand Windows \(type) Instance Hour", use: .sp, resource: .instance,
                    attributes: instanceAttributes(instance, os: "Windows"), normalization: instance.normalization,
                    instanceType: type, weight: 6))
        }
        let ebs: [(String, String)] = [("storageMedia", "SSD-backed"), ("maxVolumeSize", "16 TiB")]
        items += [
            Item(
                code: "AmazonEC2", usageType: "EBS:VolumeUsage.gp3", operation: "CreateVolume-Gp3", family: "Storage",
                unit: "GB-Mo", rate: "0.08", shape: .quantity(-2, 2),
                description: "${r} per GB-month of General Purpose (gp3) provisioned storage - {l}",
                resource: .volume, daily: true,
                attributes: ebs + [
                    ("volumeApiName", "gp3"), ("volumeType", "General Purpose"), ("maxIopsvolume", "16000"),
                    ("maxThroughputvolume", "1000 MiB/s"),
                ], weight: 40),
            Item(
                code: "AmazonEC2", usageType: "EBS:VolumeUsage.gp2", operation: "CreateVolume-Gp2", family: "Storage",
                unit: "GB-Mo", rate: "0.10", shape: .quantity(-2, 2),
                description: "${r} per GB-month of General Purpose SSD (gp2) provisioned storage - {l}",
                free: "$0.00 per GB-month of General Purpose (SSD) provisioned storage under monthly free tier",
                resource: .volume, daily: true,
                attributes: ebs + [
                    ("volumeApiName", "gp2"), ("volumeType", "General Purpose"), ("maxIopsvolume", "16000"),
                ], weight: 20),
            Item(
                code: "AmazonEC2", usageType: "EBS:SnapshotUsage", operation: "CreateSnapshot",
                family: "Storage Snapshot", unit: "GB-Mo", rate: "0.05", shape: .quantity(-3, 2),
                description: "${r} per GB-Month of snapshot data stored - {l}", resource: .snapshot, daily: true,
                attributes: [("storageMedia", "Amazon S3")], weight: 15),
            Item(
                code: "AmazonEC2", usageType: "EBS:VolumeP-IOPS.io2", operation: "CreateVolume-P-IOPS.io2",
                family: "System Operation", unit: "IOPS-Mo", rate: "0.065", shape: .quantity(0, 3),
                description: "${r} per IOPS-month provisioned - {l}", resource: .volume, daily: true,
                attributes: [("volumeApiName", "io2"), ("group", "EBS IOPS"), ("groupDescription", "IOPS")],
                weight: 3),
            Item(
                code: "AmazonEC2", usageType: "NatGateway-Hours", operation: "NatGateway", family: "NAT Gateway",
                unit: "Hrs", rate: "0.045", shape: .hours, description: "${r} per NAT Gateway Hour",
                resource: .natGateway,
                attributes: [("group", "NGW:NatGateway"), ("groupDescription", "Hourly charge for NAT Gateways")],
                weight: 8),
            Item(
                code: "AmazonEC2", usageType: "NatGateway-Bytes", operation: "NatGateway", family: "NAT Gateway",
                unit: "GB", rate: "0.045", shape: .quantity(-4, 2),
                description: "${r} per GB Data Processed by NAT Gateways",
                resource: .natGateway,
                attributes: [
                    ("group", "NGW:NatGateway"),
                    ("groupDescription", "Charge for per GB data processed by NatGateways"),
                ],
                weight: 8),
            Item(
                code: "AmazonVPC", usageType: "PublicIPv4:InUseAddress", operation: "AssociateAddressVPC",
                family: "VPC Public IPv4 Address", unit: "Hrs", rate: "0.005", shape: .hours,
                description: "${r} per In-use public IPv4 address per hour", resource: .address,
                attributes: [
                    ("group", "VPCPublicIPv4Address"),
                    ("groupDescription", "Hourly charge for In-use Public IPv4 Addresses"),
                ],
                weight: 10),
            Item(
                code: "AWSDataTransfer", usageType: "DataTransfer-Out-Bytes", operation: "RunInstances",
                family: "Data Transfer", unit: "GB", rate: "0.09", shape: .quantity(-6, 3),
                description: "${r} per GB - first 10 TB / month data transfer out beyond the global free tier",
                free: "$0.000 per GB - data transfer out under the global free tier",
                attributes: [
                    ("fromLocationType", "AWS Region"), ("toLocation", "External"), ("toLocationType", "Other"),
                    ("transferType", "AWS Outbound"),
                ], weight: 25),
            Item(
                code: "AWSDataTransfer", usageType: "DataTransfer-Regional-Bytes", operation: "InterZone-In",
                family: "Data Transfer", unit: "GB", rate: "0.01", shape: .quantity(-6, 2),
                description:
                    "${r} per GB - regional data transfer - in/out/between EC2 AZs or using elastic IPs or ELB",
                attributes: [
                    ("fromLocationType", "AWS Region"), ("toLocationType", "AWS Region"),
                    ("transferType", "IntraRegion"),
                ],
                weight: 20),
            Item(
                code: "AWSDataTransfer", usageType: "{S}-EUC1-AWS-Out-Bytes", operation: "RunInstances",
                family: "Data Transfer", unit: "GB", rate: "0.02", shape: .quantity(-7, 2),
                description: "${r} per GB - {l} data transfer to EU (Frankfurt)",
                attributes: [
                    ("fromLocationType", "AWS Region"), ("toLocation", "EU (Frankfurt)"),
                    ("toLocationType", "AWS Region"),
                    ("toRegionCode", "eu-central-1"), ("transferType", "InterRegion Outbound"),
                ], weight: 6),
            Item(
                code: "AmazonS3", usageType: "TimedStorage-ByteHrs", operation: "StandardStorage", family: "Storage",
                unit: "GB-Mo", rate: "0.023", shape: .quantity(-5, 3),
                description: "${r} per GB - first 50 TB / month of storage used",
                free: "$0.000 per GB - storage under the monthly global free tier", resource: .bucket, daily: true,
                attributes: [
                    ("availability", "99.99%"), ("durability", "99.999999999%"), ("storageClass", "General Purpose"),
                    ("volumeType", "Standard"),
                ], weight: 35),
            Item(
                code: "AmazonS3", usageType: "TimedStorage-INT-FA-ByteHrs", operation: "IntelligentTieringFAStorage",
                family: "Storage", unit: "GB-Mo", rate: "0.023", shape: .quantity(-5, 3),
                description: "${r} per GB - first 50 TB / month of data stored in the Frequent Access Tier",
                resource: .bucket, daily: true,
                attributes: [
                    ("availability", "99.9%"), ("durability", "99.999999999%"), ("storageClass", "Intelligent-Tiering"),
                    ("volumeType", "Intelligent-Tiering Frequent Access"),
                ], weight: 10),
            Item(
                code: "AmazonS3", usageType: "TimedStorage-GlacierByteHrs", operation: "GlacierStorage",
                family: "Storage", unit: "GB-Mo", rate: "0.0036", shape: .quantity(-3, 4),
                description: "${r} per GB-Month of storage used in Glacier Flexible Retrieval", resource: .bucket,
                daily: true,
                attributes: [
                    ("durability", "99.999999999%"), ("storageClass", "Archive"), ("volumeType", "Amazon Glacier"),
                ],
                weight: 6),
            Item(
                code: "AmazonS3", usageType: "Requests-Tier1", operation: "PutObject", family: "API Request",
                unit: "Requests", rate: "0.000005", shape: .count(0, 5),
                description: "${r1k} per 1,000 PUT, COPY, POST, or LIST requests",
                free: "$0.00 per request - PUT, COPY, POST, or LIST requests under the global monthly free tier",
                resource: .bucket,
                attributes: [("group", "S3-API-Tier1"), ("groupDescription", "PUT/COPY/POST or LIST requests")],
                weight: 30),
            Item(
                code: "AmazonS3", usageType: "Requests-Tier2", operation: "GetObject", family: "API Request",
                unit: "Requests", rate: "0.0000004", shape: .count(0, 6),
                description: "${r10k} per 10,000 GET and all other requests",
                free: "$0.00 per request - GET and all other requests under the global monthly free tier",
                resource: .bucket,
                attributes: [("group", "S3-API-Tier2"), ("groupDescription", "GET and all other requests")],
                weight: 35),
            Item(
                code: "AmazonS3", usageType: "Requests-Tier1", operation: "ListBucket", family: "API Request",
                unit: "Requests", rate: "0.000005", shape: .count(0, 4),
                description: "${r1k} per 1,000 PUT, COPY, POST, or LIST requests", resource: .bucket,
                attributes: [("group", "S3-API-Tier1"), ("groupDescription", "PUT/COPY/POST or LIST requests")],
                weight: 12),
            Item(
                code: "AmazonS3", usageType: "Requests-Tier2", operation: "HeadBucket", family: "API Request",
                unit: "Requests", rate: "0.0000004", shape: .count(0, 4),
                description: "${r10k} per 10,000 GET and all other requests", resource: .bucket,
                attributes: [("group", "S3-API-Tier2"), ("groupDescription", "GET and all other requests")],
                weight: 10),
        ]
        let rds: [(String, String, String, String, String, String, Int, Bool, Int)] = [
            // usage type, operation, rate, engine, deployment, memory, normalization, free, weight
            ("InstanceUsage:db.t3.micro", "CreateDBInstance:0002", "0.017", "MySQL", "Single-AZ", "1 GiB", 5, true, 6),
            (
                "InstanceUsage:db.t3.medium", "CreateDBInstance:0002", "0.068", "MySQL", "Single-AZ", "4 GiB", 20,
                false, 8
            ),
            (
                "InstanceUsage:db.r5.large", "CreateDBInstance:0014", "0.25", "PostgreSQL", "Single-AZ", "16 GiB", 40,
                false, 8
            ),
            ("Multi-AZUsage:db.m5.large", "CreateDBInstance:0002", "0.342", "MySQL", "Multi-AZ", "8 GiB", 80, false, 5),
        ]
        for (usageType, operation, rate, engine, deployment, memory, normalization, free, weight) in rds {
            let type = String(usageType.split(separator: ":")[1])
            items.append(
                Item(
                    code: "AmazonRDS", usageType: usageType, operation: operation, family: "Database Instance",
                    unit: "Hrs", rate: rate, shape: .hours,
                    description: "${r} per RDS \(type) \(deployment) instance hour (or partial hour) running \(engine)",
                    free: free
                        ? "$0.000 per RDS \(type) instance hour (or partial hour) running \(engine) under the free tier"
                        : nil,
                    use: .ri, resource: .database,
                    attributes: [
                        ("databaseEngine", engine), ("deploymentOption", deployment), ("instanceType", type),
                        ("instanceFamily", "General purpose"), ("memory", memory), ("vcpu", "2"),
                        ("licenseModel", "No license required"), ("currentGeneration", "Yes"),
                        ("normalizationSizeFactor", decimalText(Int64(normalization) * 1_000_000_000)),
                    ], normalization: normalization, instanceType: type, weight: weight))
        }
        items += [
            Item(
                code: "AmazonRDS", usageType: "RDS:GP2-Storage", operation: "CreateDBInstance:0002",
                family: "Database Storage", unit: "GB-Mo", rate: "0.115", shape: .quantity(0, 3),
                description: "${r} per GB-month of provisioned GP2 storage running MySQL", resource: .database,
                daily: true,
                attributes: [
                    ("databaseEngine", "MySQL"), ("deploymentOption", "Single-AZ"), ("volumeType", "General Purpose"),
                ],
                weight: 8),
            Item(
                code: "AmazonRDS", usageType: "RDS:ChargedBackupUsage", operation: "CreateDBInstance:0002",
                family: "Storage Snapshot", unit: "GB-Mo", rate: "0.095", shape: .quantity(-2, 3),
                description: "${r} per additional GB-month of backup storage exceeding free allocation running MySQL",
                resource: .database, daily: true, attributes: [("databaseEngine", "MySQL")], weight: 5),
            Item(
                code: "AWSLambda", usageType: "Lambda-GB-Second", operation: "Invoke", family: "Serverless",
                unit: "Lambda-GB-Second", rate: "0.0000166667", shape: .quantity(-1, 4),
                description: "AWS Lambda - Total Compute - {l}",
                free: "AWS Lambda - Total Compute - {l} - free tier (400,000 GB-seconds per month)", use: .sp,
                resource: .function,
                attributes: [
                    ("group", "AWS-Lambda-Duration"),
                    ("groupDescription", "Invocation duration weighted by memory assigned"),
                ],
                weight: 25),
            Item(
                code: "AWSLambda", usageType: "Lambda-GB-Second-ARM", operation: "Invoke", family: "Serverless",
                unit: "Lambda-GB-Second", rate: "0.0000133334", shape: .quantity(-1, 4),
                description: "AWS Lambda - Total Compute (Arm) - {l}", use: .sp, resource: .function,
                attributes: [("group", "AWS-Lambda-Duration-ARM"), ("processorArchitecture", "Arm")], weight: 8),
            Item(
                code: "AWSLambda", usageType: "Request", operation: "Invoke", family: "Serverless", unit: "Requests",
                rate: "0.0000002", shape: .count(0, 6), description: "AWS Lambda - Total Requests - {l}",
                free: "AWS Lambda - Total Requests - {l} - free tier (1,000,000 requests per month)",
                resource: .function, attributes: [("group", "AWS-Lambda-Requests")], weight: 25),
            Item(
                code: "AmazonECS", usageType: "Fargate-vCPU-Hours:perCPU", operation: "FargateTask",
                family: "Compute", unit: "hours", rate: "0.04048", shape: .quantity(-1, 1),
                description: "AWS Fargate - vCPU - {l}", use: .sp, resource: .task,
                attributes: [("cputype", "perCPU"), ("memorytype", "")], weight: 10),
            Item(
                code: "AmazonECS", usageType: "Fargate-GB-Hours", operation: "FargateTask", family: "Compute",
                unit: "hours", rate: "0.004445", shape: .quantity(-1, 2), description: "AWS Fargate - Memory - {l}",
                use: .sp, resource: .task, attributes: [("memorytype", "perGB")], weight: 10),
            Item(
                code: "AmazonEKS", usageType: "AmazonEKS-Hours:perCluster", operation: "CreateOperation",
                family: "Compute", unit: "Hours", rate: "0.10", shape: .hours,
                description: "Amazon EKS cluster usage in {l}", resource: .cluster, weight: 5),
            Item(
                code: "AmazonCloudWatch", usageType: "CW:MetricMonitorUsage", operation: "MetricStorage",
                family: "Metric", unit: "Metrics", rate: "0.30", shape: .quantity(-3, 1),
                description: "${r} per metric-month - first 10,000 metrics - {l}",
                free: "$0.00 per metric-month - first 10 metrics under the monthly free tier", daily: true,
                attributes: [("group", "Metric"), ("groupDescription", "Custom and detailed monitoring metrics")],
                weight: 15),
            Item(
                code: "AmazonCloudWatch", usageType: "CW:GMD-Metrics", operation: "GetMetricData",
                family: "API Request", unit: "Metrics", rate: "0.00001", shape: .count(1, 5),
                description: "${r1k} per 1,000 metrics requested using GetMetricData API", weight: 6),
            Item(
                code: "AmazonCloudWatch", usageType: "DataProcessing-Bytes", operation: "PutLogEvents",
                family: "Data Payload", unit: "GB", rate: "0.50", shape: .quantity(-6, 1),
                description: "${r} per GB custom log data ingested - {l}",
                free: "First 5GB per month of log data ingested is free", resource: .logGroup,
                attributes: [
                    ("group", "Ingested Logs"),
                    ("groupDescription", "Existing system, application, and custom log files"),
                ],
                weight: 20),
            Item(
                code: "AmazonCloudWatch", usageType: "TimedStorage-ByteHrs", operation: "HourlyStorageMetering",
                family: "Storage Snapshot", unit: "GB-Mo", rate: "0.03", shape: .quantity(-5, 2),
                description: "${r} per GB-mo of log storage - {l}", resource: .logGroup, daily: true, weight: 10),
            Item(
                code: "AmazonCloudWatch", usageType: "CW:AlarmMonitorUsage", operation: "Unknown", family: "Alarm",
                unit: "Alarms", rate: "0.10", shape: .quantity(-3, 0),
                description: "${r} per alarm metric month - standard",
                free: "$0.00 per alarm metric month - first 10 alarm metrics under the monthly free tier", daily: true,
                weight: 8),
            Item(
                code: "AmazonDynamoDB", usageType: "TimedStorage-ByteHrs", operation: "StandardStorage",
                family: "Database Storage", unit: "GB-Mo", rate: "0.25", shape: .quantity(-5, 2),
                description: "${r} per GB-Month of storage used beyond first 25 free GB-Months",
                free: "$0.00 per GB-Month of storage for first 25 free GB-Months", resource: .table, daily: true,
                weight: 8),
            Item(
                code: "AmazonDynamoDB", usageType: "ReadRequestUnits", operation: "PayPerRequestThroughput",
                family: "Amazon DynamoDB PayPerRequest Throughput", unit: "ReadRequestUnits", rate: "0.00000025",
                shape: .count(1, 6), description: "${r1m} per million read request units", resource: .table,
                attributes: [
                    ("group", "DDB-ReadUnits"), ("groupDescription", "DynamoDB PayPerRequest Read Request Units"),
                ],
                weight: 10),
            Item(
                code: "AmazonDynamoDB", usageType: "WriteRequestUnits", operation: "PayPerRequestThroughput",
                family: "Amazon DynamoDB PayPerRequest Throughput", unit: "WriteRequestUnits", rate: "0.00000125",
                shape: .count(1, 5), description: "${r1m} per million write request units", resource: .table,
                attributes: [
                    ("group", "DDB-WriteUnits"), ("groupDescription", "DynamoDB PayPerRequest Write Request Units"),
                ],
                weight: 8),
            Item(
                code: "awskms", usageType: "{R}-KMS-Requests", operation: "GenerateDataKey", family: "Encryption Key",
                unit: "Requests", rate: "0.000003", shape: .count(0, 5),
                description: "${r10k} per 10,000 requests - {l}",
                free: "$0 per request - first 20,000 requests per month under the free tier", resource: .key,
                attributes: [("group", "KMS-Requests")], weight: 10),
            Item(
                code: "awskms", usageType: "{R}-KMS-Keys", operation: "CreateKey", family: "Encryption Key",
                unit: "Keys", rate: "1", shape: .quantity(-3, 0),
                description: "${r} per customer managed key per month",
                resource: .key, daily: true, weight: 4),
            Item(
                code: "AWSQueueService", usageType: "Requests-RBP", operation: "SendMessage", family: "API Request",
                unit: "Requests", rate: "0.0000004", shape: .count(0, 5),
                description: "${r1m} per million Amazon SQS standard requests in Tier1 in {l}",
                free: "First 1,000,000 Amazon SQS Requests per month are free", resource: .queue,
                attributes: [
                    ("queueType", "Standard"), ("messageDeliveryFrequency", "At Least Once"),
                    ("messageDeliveryOrder", "Best Effort Ordering"),
                ],
                weight: 12),
            Item(
                code: "AWSELB", usageType: "LoadBalancerUsage", operation: "LoadBalancing:Application",
                family: "Load Balancer-Application", unit: "Hrs", rate: "0.0225", shape: .hours,
                description: "${r} per Application LoadBalancer-hour (or partial hour)", resource: .loadBalancer,
                attributes: [
                    ("group", "ELB:Balancer"),
                    ("groupDescription", "LoadBalancer hourly usage by Application Load Balancer"),
                ],
                weight: 10),
            Item(
                code: "AWSELB", usageType: "LCUUsage", operation: "LoadBalancing:Application",
                family: "Load Balancer-Application", unit: "LCU-Hrs", rate: "0.008", shape: .quantity(-4, 1),
                description: "${r} per used Application load balancer capacity unit-hour (or partial hour)",
                resource: .loadBalancer, attributes: [("group", "ELB:Balancer")], weight: 10),
        ]
        // Global services: one product, us-east-1 pricing, no region prefix.
        items += [
            Item(
                code: "AmazonRoute53", usageType: "HostedZone", operation: "HostedZone", family: "DNS Zone",
                unit: "HostedZone", rate: "0.50", shape: .quantity(-2, 0),
                description: "${r} per Hosted Zone for the first 25 Hosted Zones", resource: .hostedZone, daily: true,
                global: true, weight: 6),
            Item(
                code: "AmazonRoute53", usageType: "DNS-Queries", operation: "Query", family: "DNS Query",
                unit: "Queries", rate: "0.0000004", shape: .count(1, 6),
                description: "${r1m} per 1,000,000 queries for the first 1 Billion queries", resource: .hostedZone,
                global: true, weight: 12),
            Item(
                code: "AmazonCloudFront", usageType: "US-DataTransfer-Out-Bytes", operation: "GET",
                family: "Data Transfer", unit: "GB", rate: "0.085", shape: .quantity(-6, 2),
                description: "${r} per GB - first 10 TB / month data transfer out",
                free: "$0.000 per GB - data transfer out under the global monthly free tier", resource: .distribution,
                global: true,
                attributes: [
                    ("fromLocation", "United States"), ("toLocation", "External"),
                    ("transferType", "CloudFront Outbound"),
                ],
                weight: 12),
            Item(
                code: "AmazonCloudFront", usageType: "US-Requests-Tier1", operation: "GET", family: "Request",
                unit: "Requests", rate: "0.0000075", shape: .count(0, 5),
                description: "${r10k} per 10,000 HTTP requests", resource: .distribution, global: true, weight: 10),
        ]
        return items
    }

    struct Marketplace: Sendable {
        let code: String
        let name: String
        let seller: String
        let usageType: String
        let operation: String
        let unit: String
        let rate: String
        let shape: Shape
        let description: String
        let feeDescription: String
        let fee: String
    }

    /// AWS Marketplace listings: opaque product codes, billed by "AWS Marketplace", sold by their publishers.
    static let marketplace: [Marketplace] = [
        Marketplace(
            code: "5lmg2ks8h1d0fg0q4vqhcgm0s", name: "Red Hat Enterprise Linux 9", seller: "Red Hat, Inc.",
            usageType: "SoftwareUsage:m5.large", operation: "Hourly", unit: "Hrs", rate: "0.13", shape: .hours,
            description: "AWS Marketplace hourly software usage|us-east-1|m5.large",
            feeDescription: "AWS Marketplace software subscription, Red Hat Enterprise Linux 9", fee: "1200"),
        Marketplace(
            code: "b3c9x1v8n2m4k6j7h5g0f9d2s", name: "Acme Threat Detector", seller: "Acme Security, LLC",
            usageType: "USE1-MP:DataIngested-GB", operation: "Usage", unit: "GB", rate: "0.35", shape: .quantity(-3, 2),
            description: "Acme Threat Detector, data ingested (per GB)",
            feeDescription: "Acme Threat Detector \"Enterprise\" annual subscription", fee: "18000"),
        Marketplace(
            code: "e8r6t4y2u0i9o7p5a3s1d2f4g", name: "DataPipe \"Pro\" Connector", seller: "DataPipe Inc.",
            usageType: "SoftwareUsage:c5.2xlarge", operation: "Hourly", unit: "Hrs", rate: "0.25", shape: .hours,
            description: "DataPipe \"Pro\" Connector, hourly software usage on c5.2xlarge",
            feeDescription: "DataPipe \"Pro\" Connector, 12 month contract", fee: "9600"),
        Marketplace(
            code: "q1w2e3r4t5y6u7i8o9p0a1s2d", name: "Nimbus Observability", seller: "Nimbus Labs, Inc.",
            usageType: "USE1-MP:Hosts", operation: "Usage", unit: "Hosts", rate: "0.0208", shape: .quantity(-1, 2),
            description: "Nimbus Observability - per host hour",
            feeDescription: "Nimbus Observability, annual platform fee", fee: "24000"),
    ]

    static let domains: [(tld: String, fee: String, operation: String, description: String)] = [
        ("com", "14", "RenewDomain", "Renewal of the domain name, shopfront-example.com (1 year)"),
        ("net", "13", "RegisterDomain", "Registration of the domain name northwind-example.net"),
        ("io", "71", "RenewDomain", "Renewal of the domain name, \"acme-labs-example.io\""),
        ("co.uk", "9", "RegisterDomain", "Registration of the domain name tailspin-example.co.uk"),
    ]

    static let creditDescriptions = [
        "AWS Activate Credits", "Promotional credit, Migrate & Modernize program",
        "AWS Credit - \"Proof of Concept\" funding",
    ]
    static let refundDescriptions = [
        "Refund for duplicate charge, \"RDS\" snapshot export", "Refund: service credit for the 2024-03-05 outage",
    ]

    static let tagValues: [[String]] = [
        ["", "IAMUser:AIDACKCEVSQ6C2EXAMPLE:ci-deploy"],  // aws:createdBy
        ["", "checkout", "search", "ingest", "reporting", "auth", "billing, invoicing"],  // user:Application
        ["", "CC-1001", "CC-1002", "CC-2040", "CC-3300", "CC-4100"],  // user:CostCenter
        ["", "production", "staging", "development", "sandbox"],  // user:Environment
        ["", "platform", "data", "web", "payments", "ml", "mobile"],  // user:Team
    ]
    static let tagKeys = ["aws:createdBy", "user:Application", "user:CostCenter", "user:Environment", "user:Team"]

    /// Parses a plain decimal such as "0.0000166667" into units of 10⁻¹⁰.
    static func units(_ text: String) -> Int64 {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        var value = Int64(parts[0])! * 10_000_000_000
        if parts.count == 2 {
            let fraction = parts[1] + String(repeating: "0", count: 10 - parts[1].count)
            value += Int64(fraction)!
        }
        return value
    }

    /// Units of 10⁻¹⁰ as a plain decimal without trailing zeros ("0.096", "14").
    static func decimalText(_ units: Int64) -> String {
        let sign = units < 0 ? "-" : ""
        let magnitude = units.magnitude
        let whole = magnitude / 10_000_000_000
        var fraction = String(magnitude % 10_000_000_000)
        fraction = String(repeating: "0", count: 10 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return sign + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
    }
}

// MARK: - Model

/// The kinds of line, each written with its own plan.
enum UsageGenKind: Int, CaseIterable {
    case usage, freeUsage, discountedUsage, savingsPlanCovered, savingsPlanNegation, riFee, savingsPlanRecurringFee,
        savingsPlanUpfrontFee, fee, tax, credit, refund, edpDiscount

    var lineItemType: String {
        switch self {
        case .usage, .freeUsage: "Usage"
        case .discountedUsage: "DiscountedUsage"
        case .savingsPlanCovered: "SavingsPlanCoveredUsage"
        case .savingsPlanNegation: "SavingsPlanNegation"
        case .riFee: "RIFee"
        case .savingsPlanRecurringFee: "SavingsPlanRecurringFee"
        case .savingsPlanUpfrontFee: "SavingsPlanUpfrontFee"
        case .fee: "Fee"
        case .tax: "Tax"
        case .credit: "Credit"
        case .refund: "Refund"
        case .edpDiscount: "EdpDiscount"
        }
    }

    /// Lines about metered usage of a product: they carry its attributes, zone, resource and pricing columns.
    var isUsageLike: Bool {
        switch self {
        case .usage, .freeUsage, .discountedUsage, .savingsPlanCovered, .savingsPlanNegation, .edpDiscount: true
        default: false
        }
    }

    var isReservation: Bool { self == .discountedUsage || self == .riFee }

    var isSavingsPlan: Bool {
        self == .savingsPlanCovered || self == .savingsPlanNegation || self == .savingsPlanRecurringFee
            || self == .savingsPlanUpfrontFee
    }

    /// No usage type and operation: charges about a product code as a whole.
    var isAccountLevel: Bool { self == .tax || self == .credit || self == .refund }

    /// FOCUS 1.0 ChargeCategory.
    var chargeCategory: String {
        switch self {
        case .usage, .freeUsage, .discountedUsage, .savingsPlanCovered, .savingsPlanNegation: "Usage"
        case .riFee, .savingsPlanRecurringFee, .savingsPlanUpfrontFee, .fee: "Purchase"
        case .tax: "Tax"
        case .credit, .edpDiscount: "Credit"
        case .refund: "Adjustment"
        }
    }
}

/// What a product is used for.
enum UsageGenRole {
    case usage, marketplaceUsage, riFee, savingsPlanRecurring, savingsPlanUpfront, domainFee, marketplaceFee, support
}

struct UsageGenProduct {
    var role: UsageGenRole
    var code: String
    var name: String
    var category: String
    var usageType: String
    var operation: String
    var family: String
    var unit: String
    /// Public on-demand rate, units of 10⁻¹⁰.
    var rate: Int64
    var shape: UsageGenCatalogue.Shape
    var daily: Bool
    var description: String
    var freeDescription: String?
    var region: UsageGenCatalogue.Region?
    var attributes: [String: String]
    var entity = "AWS"
    var legalEntity = "Amazon Web Services, Inc."
    var resource: UsageGenCatalogue.Resource
    var sku: String
    var rateID: String
    var normalization: Int
    var instanceType: String
    var use: UsageGenCatalogue.Use
    var weight: Int
    /// For usage products with a Reserved Instance: the RI fee product.
    var riFeeProduct = -1

    var availabilityZone: String {
        guard let region, resource == .instance || resource == .volume || resource == .database else { return "" }
        return region.code + "a"
    }

    var resourceType: String {
        switch resource {
        case .none: ""
        case .instance: "Instance"
        case .volume: "Volume"
        case .snapshot: "Snapshot"
        case .bucket: "Bucket"
        case .natGateway: "NAT Gateway"
        case .address: "Elastic IP Address"
        case .loadBalancer: "Load Balancer"
        case .database: "DB Instance"
        case .function: "Function"
        case .task: "Task"
        case .cluster: "Cluster"
        case .table: "Table"
        case .queue: "Queue"
        case .key: "Key"
        case .logGroup: "Log Group"
        case .hostedZone: "Hosted Zone"
        case .distribution: "Distribution"
        }
    }

    /// The resource ID is `prefix`, then the account ID when `withAccount`, then `middle`, then `digits` hex digits.
    var resourceParts: (prefix: String, withAccount: Bool, middle: String, digits: Int) {
        let region = self.region?.code ?? "us-east-1"
        switch resource {
        case .none: return ("", false, "", 0)
        case .instance: return ("i-0", false, "", 16)
        case .volume: return ("vol-0", false, "", 16)
        case .snapshot: return ("snap-0", false, "", 16)
        case .bucket: return ("data-", false, "", 12)
        case .natGateway: return ("arn:aws:ec2:\(region):", true, ":natgateway/nat-0", 16)
        case .address: return ("eipalloc-0", false, "", 16)
        case .loadBalancer: return ("arn:aws:elasticloadbalancing:\(region):", true, ":loadbalancer/app/web-", 16)
        case .database: return ("arn:aws:rds:\(region):", true, ":db:db-", 8)
        case .function: return ("arn:aws:lambda:\(region):", true, ":function:fn-", 8)
        case .task: return ("arn:aws:ecs:\(region):", true, ":task/cluster-", 16)
        case .cluster: return ("arn:aws:eks:\(region):", true, ":cluster/eks-", 6)
        case .table: return ("arn:aws:dynamodb:\(region):", true, ":table/tbl-", 8)
        case .queue: return ("arn:aws:sqs:\(region):", true, ":queue-", 8)
        case .key: return ("arn:aws:kms:\(region):", true, ":key/", 16)
        case .logGroup: return ("arn:aws:logs:\(region):", true, ":log-group:/aws/lambda/fn-", 8)
        case .hostedZone: return ("arn:aws:route53:::hostedzone/Z0", false, "", 12)
        case .distribution: return ("arn:aws:cloudfront::", true, ":distribution/E", 12)
        }
    }
}

struct UsageGenAccount {
    var id: String
    var name: String
    /// Index of its cluster (a billing group, or a synthetic group), or −1 for none.
    var cluster: Int
    var weight: Int
    /// The cost category value: the billing group's name, or "" for none.
    var costCategory: String
}

struct UsageGenCommitment {
    var isSavingsPlan: Bool
    var owner: Int
    var arn: String
    /// RI: the product it covers; −1 for Savings Plans.
    var product: Int
    /// RI: hourly fee per instance; SP: hourly recurring commitment (0 when all upfront).
    var hourly: Int64
    var count: Int
    /// SP: the upfront fee (0 when none).
    var upfront: Int64
    /// SP: the discount off on-demand, in percent.
    var discount: Int
    var recurringProduct: Int
    var upfrontProduct: Int
    var start: (year: Int, month: Int, day: Int, hour: Int)
    var subscription: String
}

// MARK: - Output

/// The output file and its buffers. A second thread writes (and with gzip, first compresses) one buffer while the
/// generator fills the other.
final class UsageGenSink: @unchecked Sendable {
    static let capacity = 8 << 20
    private let fd: Int32
    private let closes: Bool
    /// The buffer being filled.
    @exclusivity(unchecked) private(set) var buffer: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) var count = 0
    /// CSV bytes produced.
    private(set) var csvBytes = 0
    /// Bytes written to the file (read after `finish`).
    private(set) var fileBytes = 0

    // The writer thread owns the buffer handed to it until it signals `free`.
    private var spare: UnsafeMutablePointer<UInt8>
    private let gzip: Bool
    private var stream = z_stream()
    private let zout: UnsafeMutablePointer<UInt8>
    private let zoutCapacity = 1 << 20
    private let ready = DispatchSemaphore(value: 0)
    private let free = DispatchSemaphore(value: 1)
    private let done = DispatchSemaphore(value: 0)
    private var pending: (pointer: UnsafeMutablePointer<UInt8>, count: Int, finish: Bool)? = nil
    private var failure: String? = nil

    init(path: String, gzip: Bool) throws {
        if path == "-" {
            fd = 1
            closes = false
        } else {
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else {
                throw UsageGeneratorFailure(message: "cannot create \(path): \(String(cString: strerror(errno)))")
            }
            closes = true
        }
        self.gzip = gzip
        buffer = .allocate(capacity: Self.capacity)
        spare = .allocate(capacity: Self.capacity)
        zout = .allocate(capacity: gzip ? zoutCapacity : 1)
        if gzip {
            // windowBits 15 + 16: a gzip wrapper with no name and time 0, so the bytes depend on the data only.
            let status = deflateInit2_(
                &stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                Int32(MemoryLayout<z_stream>.size))
            guard status == Z_OK else {
                throw UsageGeneratorFailure(message: "cannot start gzip (zlib status \(status))")
            }
        }
        let thread = Thread { [unowned self] in self.writeLoop() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    deinit {
        buffer.deallocate()
        spare.deallocate()
        zout.deallocate()
        if closes { close(fd) }
    }

    /// Room for at least `bytes` more in the buffer.
    @inline(__always)
    func reserve(_ bytes: Int) throws {
        if Self.capacity - count < bytes { try flush() }
    }

    func flush() throws {
        guard count > 0 else { return }
        if let failure { throw UsageGeneratorFailure(message: failure) }
        hand(finish: false)
    }

    /// Writes what is left and waits for the writer.
    func finish() throws {
        hand(finish: true)
        done.wait()
        if let failure { throw UsageGeneratorFailure(message: failure) }
    }

    /// Gives the filled buffer to the writer and takes the other one once it is free.
    private func hand(finish: Bool) {
        csvBytes += count
        free.wait()
        pending = (buffer, count, finish)
        swap(&buffer, &spare)
        count = 0
        ready.signal()
    }

    private func writeLoop() {
        while true {
            ready.wait()
            guard let work = pending else { continue }
            pending = nil
            if failure == nil {
                do {
                    if gzip {
                        try deflateBuffer(work.pointer, work.count, finish: work.finish)
                    } else {
                        try writeAll(work.pointer, work.count)
                    }
                } catch let error as UsageGeneratorFailure {
                    failure = error.message
                } catch {
                    failure = "\(error)"
                }
            }
            free.signal()
            if work.finish {
                if gzip { deflateEnd(&stream) }
                done.signal()
                return
            }
        }
    }

    private func deflateBuffer(_ pointer: UnsafeMutablePointer<UInt8>, _ count: Int, finish: Bool) throws {
        stream.next_in = pointer
        stream.avail_in = UInt32(count)
        while true {
            stream.next_out = zout
            stream.avail_out = UInt32(zoutCapacity)
            let status = deflate(&stream, finish ? Z_FINISH : Z_NO_FLUSH)
            guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                throw UsageGeneratorFailure(message: "gzip failed (zlib status \(status))")
            }
            let produced = zoutCapacity - Int(stream.avail_out)
            if produced > 0 { try writeAll(zout, produced) }
            if finish ? status == Z_STREAM_END : (stream.avail_in == 0 && stream.avail_out != 0) { break }
        }
    }

    private func writeAll(_ pointer: UnsafeMutablePointer<UInt8>, _ count: Int) throws {
        var offset = 0
        while offset < count {
            let written = write(fd, pointer + offset, count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw UsageGeneratorFailure(message: "cannot write: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
        fileBytes += count
    }
}

/// Bytes that live as long as the generator: constant runs of the plans, account IDs, ARNs, pre-encoded values.
final class UsageGenArena {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init() {
        capacity = 1 << 20
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// Appends the bytes; returns where they are.
    func add(_ bytes: [UInt8]) -> UsageGenSpan {
        if count + bytes.count > capacity {
            var newCapacity = capacity * 2
            while count + bytes.count > newCapacity { newCapacity *= 2 }
            let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            newBase.update(from: base, count: count)
            base.deallocate()
            base = newBase
            capacity = newCapacity
        }
        let span = UsageGenSpan(offset: Int32(count), length: Int32(bytes.count))
        for (i, byte) in bytes.enumerated() { base[count + i] = byte }
        count += bytes.count
        return span
    }

    func add(_ text: String) -> UsageGenSpan { add(Array(text.utf8)) }
}

struct UsageGenSpan {
    var offset: Int32
    var length: Int32
    static let empty = UsageGenSpan(offset: 0, length: 0)
}

/// The per-row values (dynamic columns) a plan step writes.
enum UsageGenValue: UInt8 {
    case constant = 0
    case lineItemID, timeInterval, periodStart, periodEnd, payer, account, accountName, usageStart, usageEnd, amount,
        normalizedAmount, unblendedRate, unblendedCost, publicCost, publicRate, resource, commitmentARN,
        effectiveCost, savingsPlanRate, invoice, tagColumns, tagsJSON, negationDescription, commitmentStart,
        commitmentEnd, subscription, commitmentCount, costCategory, costCategoryJSON
}

/// One step of a plan: constant bytes from the arena, or a per-row value.
struct UsageGenStep {
    var value: UInt8
    var span: UsageGenSpan
}

struct UsageGenPlan {
    var first: Int32
    var count: Int32
    var maxBytes: Int32
}

/// One column's value for a (product, kind): empty, constant, or per row.
enum UsageGenCell {
    case empty
    case text(String)
    case number(Int64)
    case value(UsageGenValue)
    /// Bytes written as they are (already encoded; may span several columns).
    case raw(String)
}

/// What one row will hold (no references: it lives in registers and on the stack).
struct UsageGenRow {
    var kind = 0
    var product = 0
    var account = 0
    var commitment = -1
    var period = 0
    var start = 0
    var end = 0
    var amount: Int64 = 0
    var unblendedRate: Int64 = 0
    var unblendedCost: Int64 = 0
    var publicRate: Int64 = 0
    var publicCost: Int64 = 0
    var hasPublic = true
    var effective: Int64 = 0
    var savingsPlanRate: Int64 = 0
    var resourceSeed: UInt64 = 0
    var tagCombination = 0
}

/// Product data read per row, without references.
struct UsageGenHotProduct {
    var rate: Int64
    var shapeKind: Int8  // 0 hours, 1 count, 2 quantity
    var low: Int8
    var high: Int8
    var daily: Bool
    var normalization: Int32
    var riFeeProduct: Int32
    var sku: UsageGenSpan
    var resourcePrefix: UsageGenSpan
    var resourceMiddle: UsageGenSpan
    var resourceWithAccount: Bool
    var resourceDigits: Int8
}

struct UsageGenHotCommitment {
    var isSavingsPlan: Bool
    var owner: Int32
    var product: Int32
    var hourly: Int64
    var count: Int32
    var upfront: Int64
    var discount: Int32
    var recurringProduct: Int32
    var upfrontProduct: Int32
    var arn: UsageGenSpan
    var start: UsageGenSpan
    var end: UsageGenSpan
    var subscription: UsageGenSpan
}

struct UsageGenHotAccount {
    var id: UsageGenSpan
    var name: UsageGenSpan
    var cluster: Int32
    var costCategory: UsageGenSpan
    var costCategoryJSON: UsageGenSpan
    var seed: UInt64
}

struct UsageGenHotPeriod {
    var year: Int
    var month: Int
    var hours: Int
    var nextYear: Int
    var nextMonth: Int
    var invoice: UsageGenSpan
}

// MARK: - Generator

final class UsageGenerator {
    let options: UsageGeneratorOptions
    let format: UsageGeneratorFormat
    private var random: UsageGenRandom
    private let arena = UsageGenArena()

    private var products: [UsageGenProduct] = []
    private var accounts: [UsageGenAccount] = []
    private var clusters: [[Int]] = []
    private var commitments: [UsageGenCommitment] = []
    private var payer = ""
    private var payerName = ""
    private let edpPercent: Int64 = 6

    // Product tables.
    private var usageProducts: [Int] = []
    private var freeProducts: [Int] = []
    private var savingsPlanProducts: [Int] = []
    private var marketplaceUsageProducts: [Int] = []
    private var marketplaceFeeProducts: [Int] = []
    private var domainProducts: [Int] = []
    private var supportProducts: [Int] = []
    private var representativeProducts: [Int] = []

    // Plans.
    private var steps: [UsageGenStep] = []
    private var plans: [UsageGenPlan] = []
    /// product × kind → plan, or −1.
    private var planIndex: [Int32] = []
    private(set) var columns: [String] = []

    init(options: UsageGeneratorOptions) throws {
        self.options = options
        format = options.format
        random = UsageGenRandom(seed: options.seed)
        buildProducts()
        if let directory = options.accountsFrom {
            try accountsFromConfiguration(directory)
        } else {
            syntheticAccounts(options.accounts)
        }
        buildCommitments()
        columns = Self.header(format)
        compilePlans()
    }

    // MARK: Products

    private func sku(_ key: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
        var text = ""
        var value = UsageGenRandom.mix(hash)
        for i in 0..<16 {
            if i == 12 { value = UsageGenRandom.mix(value) }
            text.append(alphabet[Int(value % UInt64(alphabet.count))])
            value /= UInt64(alphabet.count)
        }
        return text
    }

    private func buildProducts() {
        let regions = UsageGenCatalogue.regions
        for item in UsageGenCatalogue.items {
            for region in item.global ? [regions[0]] : regions {
                let rate = (UsageGenCatalogue.units(item.rate) * Int64(item.global ? 100 : region.factor) + 50) / 100
                var usageType = item.usageType
                    .replacingOccurrences(of: "{R}", with: region.code)
                    .replacingOccurrences(of: "{S}", with: region.short)
                if !item.global && !item.usageType.hasPrefix("{") { usageType = region.prefix + usageType }
                func text(_ template: String) -> String {
                    template.replacingOccurrences(of: "{r}", with: UsageGenCatalogue.decimalText(rate))
                        .replacingOccurrences(of: "{r1k}", with: UsageGenCatalogue.decimalText(rate * 1_000))
                        .replacingOccurrences(of: "{r10k}", with: UsageGenCatalogue.decimalText(rate * 10_000))
                        .replacingOccurrences(of: "{r1m}", with: UsageGenCatalogue.decimalText(rate * 1_000_000))
                        .replacingOccurrences(of: "{l}", with: region.name)
                }
                let service = UsageGenCatalogue.services[item.code]!
                var attributes: [String: String] = [:]
                for (key, value) in item.attributes where !value.isEmpty { attributes[key] = value }
                if attributes["fromLocationType"] != nil {
                    attributes["fromLocation"] = attributes["fromLocation"] ?? region.name
                    attributes["fromRegionCode"] = region.code
                }
                let key = item.code + "/" + usageType + "/" + item.operation
                products.append(
                    UsageGenProduct(
                        role: .usage, code: item.code, name: service.name, category: service.category,
                        usageType: usageType, operation: item.operation, family: item.family, unit: item.unit,
                        rate: rate, shape: item.shape, daily: item.daily, description: text(item.description),
                        freeDescription: item.free.map(text), region: item.global ? nil : region,
                        attributes: attributes, resource: item.resource, sku: sku(key),
                        rateID: String(
                            1_000_000_000 + Int(UsageGenRandom.mix(UInt64(products.count + 1)) % 8_999_999_999)),
                        normalization: item.normalization, instanceType: item.instanceType, use: item.use,
                        weight: item.weight * region.weight))
            }
        }
        // RI fee products, one per product a reservation can cover.
        for index in products.indices where products[index].use == .ri || products[index].use == .riAndSP {
            let covered = products[index]
            let fee = covered.rate * 62 / 100
            let platform =
                covered.code == "AmazonRDS"
                ? (covered.attributes["databaseEngine"] ?? "MySQL") : "Linux/UNIX (Amazon VPC)"
            var product = covered
            product.role = .riFee
            product.usageType = (covered.region?.prefix ?? "") + "HeavyUsage:" + covered.instanceType
            product.description =
                "USD \(UsageGenCatalogue.decimalText(fee)) hourly fee per \(platform), \(covered.instanceType) instance"
            product.freeDescription = nil
            product.rate = fee
            product.resource = .none
            product.sku = sku("fee/" + product.usageType + "/" + product.operation)
            product.weight = 0
            products[index].riFeeProduct = products.count
            products.append(product)
        }
        // Savings Plan fees.
        let service = UsageGenCatalogue.services["ComputeSavingsPlans"]!
        for (role, payment) in [
            (UsageGenRole.savingsPlanRecurring, "NoUpfront"), (.savingsPlanRecurring, "PartialUpfront"),
            (.savingsPlanUpfront, "AllUpfront"), (.savingsPlanUpfront, "PartialUpfront"),
        ] {
            let spaced = payment.replacingOccurrences(of: "Upfront", with: " Upfront")
            let what = role == .savingsPlanUpfront ? "upfront fee" : "recurring fee"
            let usageType = "ComputeSP:1yr" + payment
            products.append(
                UsageGenProduct(
                    role: role, code: "ComputeSavingsPlans", name: service.name, category: service.category,
                    usageType: usageType, operation: "", family: "Savings Plan", unit: "Hrs", rate: 0,
                    shape: .hours, daily: false, description: "1 year \(spaced) Compute Savings Plan, \(what)",
                    region: nil, attributes: [:], resource: .none, sku: sku("sp/" + usageType), rateID: "",
                    normalization: 0, instanceType: "", use: .none, weight: 0))
        }
        // Marketplace listings.
        for listing in UsageGenCatalogue.marketplace {
            var product = UsageGenProduct(
                role: .marketplaceUsage, code: listing.code, name: listing.name, category: "Other",
                usageType: listing.usageType, operation: listing.operation, family: "", unit: listing.unit,
                rate: UsageGenCatalogue.units(listing.rate), shape: listing.shape, daily: false,
                description: listing.description, region: regions[0], attributes: [:], resource: .instance,
                sku: sku("mp/" + listing.code), rateID: "", normalization: 0, instanceType: "", use: .none, weight: 10)
            product.entity = "AWS Marketplace"
            product.legalEntity = listing.seller
            marketplaceUsageProducts.append(products.count)
            products.append(product)
            product.role = .marketplaceFee
            product.usageType = "MP:Subscription"
            product.operation = "Subscription"
            product.unit = ""
            product.rate = UsageGenCatalogue.units(listing.fee)
            product.description = listing.feeDescription
            product.resource = .none
            product.sku = sku("mpfee/" + listing.code)
            marketplaceFeeProducts.append(products.count)
            products.append(product)
        }
        // Domain registrations: Fee lines of Route 53.
        let route53 = UsageGenCatalogue.services["AmazonRoute53"]!
        for domain in UsageGenCatalogue.domains {
            let usageType = domain.operation + ":" + domain.tld
            domainProducts.append(products.count)
            products.append(
                UsageGenProduct(
                    role: .domainFee, code: "AmazonRoute53", name: route53.name, category: route53.category,
                    usageType: usageType, operation: domain.operation, family: "Domain Registration", unit: "",
                    rate: UsageGenCatalogue.units(domain.fee), shape: .hours, daily: false,
                    description: domain.description, region: nil, attributes: [:], resource: .none,
                    sku: sku("domain/" + usageType), rateID: "", normalization: 0, instanceType: "", use: .none,
                    weight: 0))
        }
        // Support plans.
        for (code, weight) in [("AWSSupportBusiness", 4), ("AWSDeveloperSupport", 1)] {
            let service = UsageGenCatalogue.services[code]!
            supportProducts.append(products.count)
            products.append(
                UsageGenProduct(
                    role: .support, code: code, name: service.name, category: service.category, usageType: "Dollar",
                    operation: "", family: "", unit: "", rate: 0, shape: .hours, daily: false,
                    description: service.name, region: nil, attributes: [:], resource: .none, sku: sku(code),
                    rateID: "", normalization: 0, instanceType: "", use: .none, weight: weight))
        }
        var seenCodes: Set<String> = []
        for (index, product) in products.enumerated() {
            if product.role == .usage {
                usageProducts.append(index)
                if product.freeDescription != nil { freeProducts.append(index) }
                if product.use == .sp || product.use == .riAndSP { savingsPlanProducts.append(index) }
            }
            if (product.role == .usage || product.role == .marketplaceUsage) && seenCodes.insert(product.code).inserted
            {
                representativeProducts.append(index)
            }
        }
    }

    // MARK: Accounts

    private func newAccountID(_ taken: inout Set<String>) -> String {
        while true {
            let number = random.below(1_000_000_000_000)
            let text = String(number)
            let id = String(repeating: "0", count: 12 - text.count) + text
            if taken.insert(id).inserted { return id }
        }
    }

    static func padded(_ number: Int, _ width: Int) -> String {
        let text = String(number)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    private func syntheticWeight() -> Int {
        var weight = 1 + random.below(3)
        if random.below(12) == 0 { weight += 20 }
        if random.below(50) == 0 { weight += 100 }
        return weight
    }

    private func syntheticAccounts(_ count: Int) {
        var taken: Set<String> = []
        payer = newAccountID(&taken)
        payerName = "example-organization"
        var index = 0
        while index < count {
            // About one account in ten is in no group; the others come in groups of 1 to 12.
            if count > 1 && random.below(10) == 0 {
                accounts.append(
                    UsageGenAccount(
                        id: newAccountID(&taken), name: "account-" + Self.padded(index + 1, 4), cluster: -1,
                        weight: syntheticWeight(), costCategory: ""))
                index += 1
                continue
            }
            var size = 1 + random.below(4)
            if random.below(5) == 0 { size += random.below(9) }
            size = min(size, count - index)
            let cluster = clusters.count
            let name = "team-" + Self.padded(cluster + 1, 3)
            clusters.append([])
            for _ in 0..<size {
                clusters[cluster].append(accounts.count)
                accounts.append(
                    UsageGenAccount(
                        id: newAccountID(&taken), name: "account-" + Self.padded(index + 1, 4), cluster: cluster,
                        weight: syntheticWeight(), costCategory: name))
                index += 1
            }
        }
        accounts.append(UsageGenAccount(id: payer, name: payerName, cluster: -1, weight: 1, costCategory: ""))
    }

    private func accountsFromConfiguration(_ directory: String) throws {
        let tree = UsageGenDirectoryTree(root: directory)
        let configuration: Configuration
        do {
            let root = try ConfigurationLoader.findRoot(in: tree)
            configuration = try ConfigurationLoader().load(from: tree, root: root).configuration
        } catch let error as LoadError {
            throw UsageGeneratorFailure(message: "--accounts-from \(directory): \(error.message)")
        } catch let error as FileTreeError {
            throw UsageGeneratorFailure(message: "--accounts-from \(directory): \(error.message)")
        } catch {
            throw UsageGeneratorFailure(message: "--accounts-from \(directory): \(error)")
        }
        var names: [String: String] = [:]
        for account in configuration.accounts { names[account.accountID] = account.name }
        var taken: Set<String> = []
        for group in configuration.billingGroups {
            let cluster = clusters.count
            clusters.append([])
            for id in group.accountIDs where taken.insert(id).inserted {
                clusters[cluster].append(accounts.count)
                accounts.append(
                    UsageGenAccount(
                        id: id, name: names[id] ?? "account-" + id, cluster: cluster, weight: syntheticWeight(),
                        costCategory: group.name))
            }
        }
        for account in configuration.accounts where taken.insert(account.accountID).inserted {
            accounts.append(
                UsageGenAccount(
                    id: account.accountID, name: account.name, cluster: -1, weight: syntheticWeight(), costCategory: "")
            )
        }
        payerName = configuration.project?.name ?? "example-organization"
        if let id = configuration.project?.payerAccountID {
            payer = id
            if taken.insert(id).inserted {
                accounts.append(
                    UsageGenAccount(id: id, name: names[id] ?? payerName, cluster: -1, weight: 1, costCategory: ""))
            }
        } else {
            payer = newAccountID(&taken)
            accounts.append(UsageGenAccount(id: payer, name: payerName, cluster: -1, weight: 1, costCategory: ""))
        }
        // Accounts the configuration does not know: their lines are unassigned.
        for extra in 0..<max(2, accounts.count / 20) {
            accounts.append(
                UsageGenAccount(
                    id: newAccountID(&taken), name: "unlisted-" + Self.padded(extra + 1, 3), cluster: -1,
                    weight: syntheticWeight(), costCategory: ""))
        }
    }

    // MARK: Commitments

    private func uuid() -> String {
        let a = random.next()
        let b = random.next()
        func hex(_ value: UInt64, _ digits: Int) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: max(0, digits - text.count)) + text.suffix(digits)
        }
        return hex(a >> 32, 8) + "-" + hex((a >> 16) & 0xFFFF, 4) + "-4" + hex(a & 0xFFF, 3) + "-"
            + hex(0x8000 | ((b >> 48) & 0x3FFF), 4) + "-" + hex(b & 0xFFFF_FFFF_FFFF, 12)
    }

    private func buildCommitments() {
        let reservable = products.indices.filter { products[$0].role == .usage && products[$0].riFeeProduct >= 0 }
        let spRecurring = products.indices.filter { products[$0].role == .savingsPlanRecurring }
        let spUpfront = products.indices.filter { products[$0].role == .savingsPlanUpfront }
        // Owners: the members of each group; without groups, every account.
        var owners = clusters.filter { !$0.isEmpty }
        if owners.isEmpty { owners = [Array(accounts.indices)] }
        let first = options.periods[0]
        for members in owners {
            let reservations = random.percent(75) ? 1 + random.below(3) : 0
            let plans = random.percent(60) ? 1 + random.below(2) : 0
            for _ in 0..<max(reservations, commitments.isEmpty ? 1 : 0) {
                let owner = random.element(members)
                let product = random.element(reservable)
                let covered = products[product]
                let region = covered.region?.code ?? "us-east-1"
                let arn =
                    covered.code == "AmazonRDS"
                    ? "arn:aws:rds:\(region):\(accounts[owner].id):ri:ri-\(uuid().prefix(13))"
                    : "arn:aws:ec2:\(region):\(accounts[owner].id):reserved-instances/\(uuid())"
                commitments.append(
                    UsageGenCommitment(
                        isSavingsPlan: false, owner: owner, arn: arn, product: product,
                        hourly: products[covered.riFeeProduct].rate, count: 1 + random.below(8), upfront: 0,
                        discount: 38, recurringProduct: covered.riFeeProduct, upfrontProduct: -1,
                        start: startBefore(first), subscription: String(1_000_000_000 + random.below(8_999_999_999))))
            }
            let isFirstPlan = !commitments.contains { $0.isSavingsPlan }
            for planNumber in 0..<max(plans, isFirstPlan ? 1 : 0) {
                let owner = random.element(members)
                // The first Savings Plan is partial upfront, so that both fee kinds occur.
                let payment = isFirstPlan && planNumber == 0 ? 1 : [0, 0, 0, 1, 2][random.below(5)]
                let hourly = Int64(10 + random.below(490)) * 100_000_000  // $0.10 … $5.00 an hour
                let recurring = payment == 2 ? 0 : (payment == 1 ? hourly / 2 : hourly)
                let upfront = payment == 0 ? 0 : (payment == 1 ? hourly / 2 : hourly) * 8_760
                commitments.append(
                    UsageGenCommitment(
                        isSavingsPlan: true, owner: owner,
                        arn: "arn:aws:savingsplans::\(accounts[owner].id):savingsplan/\(uuid())", product: -1,
                        hourly: recurring, count: 1, upfront: upfront, discount: 20 + random.below(26),
                        recurringProduct: payment == 2 ? -1 : spRecurring[payment == 1 ? 1 : 0],
                        upfrontProduct: payment == 0 ? -1 : spUpfront[payment == 1 ? 1 : 0],
                        start: startBefore(first), subscription: String(1_000_000_000 + random.below(8_999_999_999))))
            }
        }
    }

    /// A purchase time within the year before `period`.
    private func startBefore(_ period: BillingPeriod) -> (year: Int, month: Int, day: Int, hour: Int) {
        let monthsBack = 1 + random.below(11)
        var year = period.year
        var month = period.month - monthsBack
        if month < 1 {
            month += 12
            year -= 1
        }
        return (year, month, 1 + random.below(28), random.below(24))
    }

    // MARK: Columns

    static let legacyColumns: [String] = [
        "identity/LineItemId", "identity/TimeInterval", "bill/InvoiceId", "bill/InvoicingEntity", "bill/BillingEntity",
        "bill/BillType", "bill/PayerAccountId", "bill/BillingPeriodStartDate", "bill/BillingPeriodEndDate",
        "lineItem/UsageAccountId", "lineItem/LineItemType", "lineItem/UsageStartDate", "lineItem/UsageEndDate",
        "lineItem/ProductCode", "lineItem/UsageType", "lineItem/Operation", "lineItem/AvailabilityZone",
        "lineItem/ResourceId", "lineItem/UsageAmount", "lineItem/NormalizationFactor",
        "lineItem/NormalizedUsageAmount", "lineItem/CurrencyCode", "lineItem/UnblendedRate", "lineItem/UnblendedCost",
        "lineItem/BlendedRate", "lineItem/BlendedCost", "lineItem/LineItemDescription", "lineItem/TaxType",
        "lineItem/LegalEntity", "product/ProductName", "product/availability", "product/availabilityZone",
        "product/capacitystatus", "product/classicnetworkingsupport", "product/clockSpeed",
        "product/currentGeneration", "product/databaseEngine", "product/dedicatedEbsThroughput",
        "product/deploymentOption", "product/description", "product/durability", "product/ecu",
        "product/enhancedNetworkingSupported", "product/feeCode", "product/feeDescription", "product/fromLocation",
        "product/fromLocationType", "product/fromRegionCode", "product/group", "product/groupDescription",
        "product/instanceFamily", "product/instanceType", "product/instanceTypeFamily", "product/intelAvx2Available",
        "product/intelAvxAvailable", "product/intelTurboAvailable", "product/licenseModel", "product/location",
        "product/locationType", "product/logsDestination", "product/marketoption", "product/maxIopsBurstPerformance",
        "product/maxIopsvolume", "product/maxThroughputvolume", "product/maxVolumeSize", "product/memory",
        "product/messageDeliveryFrequency", "product/messageDeliveryOrder", "product/minVolumeSize",
        "product/networkPerformance", "product/normalizationSizeFactor", "product/operatingSystem",
        "product/operation", "product/physicalProcessor", "product/platousagetype", "product/preInstalledSw",
        "product/processorArchitecture", "product/processorFeatures", "product/productFamily", "product/queueType",
        "product/region", "product/regionCode", "product/requestDescription", "product/requestType",
        "product/routingTarget", "product/routingType", "product/servicecode", "product/servicename", "product/sku",
        "product/storage", "product/storageClass", "product/storageMedia", "product/storageType", "product/tenancy",
        "product/toLocation", "product/toLocationType", "product/toRegionCode", "product/transferType",
        "product/usagetype", "product/vcpu", "product/version", "product/volumeApiName", "product/volumeType",
        "product/vpcnetworkingsupport", "pricing/LeaseContractLength", "pricing/OfferingClass",
        "pricing/PurchaseOption", "pricing/RateCode", "pricing/RateId", "pricing/currency",
        "pricing/publicOnDemandCost", "pricing/publicOnDemandRate", "pricing/term", "pricing/unit",
        "reservation/AmortizedUpfrontCostForUsage", "reservation/AmortizedUpfrontFeeForBillingPeriod",
        "reservation/AvailabilityZone", "reservation/EffectiveCost", "reservation/EndTime",
        "reservation/ModificationStatus", "reservation/NormalizedUnitsPerReservation",
        "reservation/NumberOfReservations", "reservation/RecurringFeeForUsage", "reservation/ReservationARN",
        "reservation/StartTime", "reservation/SubscriptionId", "reservation/TotalReservedNormalizedUnits",
        "reservation/TotalReservedUnits", "reservation/UnitsPerReservation",
        "reservation/UnusedAmortizedUpfrontFeeForBillingPeriod", "reservation/UnusedNormalizedUnitQuantity",
        "reservation/UnusedQuantity", "reservation/UnusedRecurringFee", "reservation/UpfrontValue",
        "savingsPlan/AmortizedUpfrontCommitmentForBillingPeriod", "savingsPlan/EndTime",
        "savingsPlan/InstanceTypeFamily", "savingsPlan/OfferingType", "savingsPlan/PaymentOption",
        "savingsPlan/PurchaseTerm", "savingsPlan/RecurringCommitmentForBillingPeriod", "savingsPlan/Region",
        "savingsPlan/SavingsPlanARN", "savingsPlan/SavingsPlanEffectiveCost", "savingsPlan/SavingsPlanRate",
        "savingsPlan/StartTime", "savingsPlan/TotalCommitmentToDate", "savingsPlan/UsedCommitment", "#tags",
        "costCategory/BusinessUnit",
    ]

    /// CUR 2.0: legacy names in snake_case (`lineItem/UsageAccountId` → `line_item_usage_account_id`), product
    /// attributes in the `product` map, tags and cost categories as maps.
    static let cur2Columns: [String] = [
        "bill/BillType", "bill/BillingEntity", "bill/BillingPeriodEndDate", "bill/BillingPeriodStartDate",
        "bill/InvoiceId", "bill/InvoicingEntity", "bill/PayerAccountId", "bill/PayerAccountName", "#costCategory",
        "#discount", "discount/BundledDiscount", "discount/TotalDiscount", "identity/LineItemId",
        "identity/TimeInterval", "lineItem/AvailabilityZone", "lineItem/BlendedCost", "lineItem/BlendedRate",
        "lineItem/CurrencyCode", "lineItem/LegalEntity", "lineItem/LineItemDescription", "lineItem/LineItemType",
        "lineItem/NetUnblendedCost", "lineItem/NetUnblendedRate", "lineItem/NormalizationFactor",
        "lineItem/NormalizedUsageAmount", "lineItem/Operation", "lineItem/ProductCode", "lineItem/ResourceId",
        "lineItem/TaxType", "lineItem/UnblendedCost", "lineItem/UnblendedRate", "lineItem/UsageAccountId",
        "lineItem/UsageAccountName", "lineItem/UsageAmount", "lineItem/UsageEndDate", "lineItem/UsageStartDate",
        "lineItem/UsageType", "pricing/Currency", "pricing/LeaseContractLength", "pricing/OfferingClass",
        "pricing/PublicOnDemandCost", "pricing/PublicOnDemandRate", "pricing/PurchaseOption", "pricing/RateCode",
        "pricing/RateId", "pricing/Term", "pricing/Unit", "#product", "product/Comment", "product/FeeCode",
        "product/FeeDescription", "product/FromLocation", "product/FromLocationType", "product/FromRegionCode",
        "product/InstanceFamily", "product/InstanceType", "product/Instancesku", "product/Location",
        "product/LocationType", "product/Operation", "product/PricingUnit", "product/ProductFamily",
        "product/RegionCode", "product/Servicecode", "product/Sku", "product/ToLocation", "product/ToLocationType",
        "product/ToRegionCode", "product/Usagetype", "reservation/AmortizedUpfrontCostForUsage",
        "reservation/AmortizedUpfrontFeeForBillingPeriod", "reservation/AvailabilityZone",
        "reservation/EffectiveCost", "reservation/EndTime", "reservation/ModificationStatus",
        "reservation/NetAmortizedUpfrontCostForUsage", "reservation/NetAmortizedUpfrontFeeForBillingPeriod",
        "reservation/NetEffectiveCost", "reservation/NetRecurringFeeForUsage",
        "reservation/NetUnusedAmortizedUpfrontFeeForBillingPeriod", "reservation/NetUnusedRecurringFee",
        "reservation/NetUpfrontValue", "reservation/NormalizedUnitsPerReservation",
        "reservation/NumberOfReservations", "reservation/RecurringFeeForUsage", "reservation/ReservationARN",
        "reservation/StartTime", "reservation/SubscriptionId", "reservation/TotalReservedNormalizedUnits",
        "reservation/TotalReservedUnits", "reservation/UnitsPerReservation",
        "reservation/UnusedAmortizedUpfrontFeeForBillingPeriod", "reservation/UnusedNormalizedUnitQuantity",
        "reservation/UnusedQuantity", "reservation/UnusedRecurringFee", "reservation/UpfrontValue", "#resourceTags",
        "savingsPlan/AmortizedUpfrontCommitmentForBillingPeriod", "savingsPlan/EndTime",
        "savingsPlan/InstanceTypeFamily", "savingsPlan/NetAmortizedUpfrontCommitmentForBillingPeriod",
        "savingsPlan/NetRecurringCommitmentForBillingPeriod", "savingsPlan/NetSavingsPlanEffectiveCost",
        "savingsPlan/OfferingType", "savingsPlan/PaymentOption", "savingsPlan/PurchaseTerm",
        "savingsPlan/RecurringCommitmentForBillingPeriod", "savingsPlan/Region", "savingsPlan/SavingsPlanARN",
        "savingsPlan/SavingsPlanEffectiveCost", "savingsPlan/SavingsPlanRate", "savingsPlan/StartTime",
        "savingsPlan/TotalCommitmentToDate", "savingsPlan/UsedCommitment", "splitLineItem/ActualUsage",
        "splitLineItem/NetSplitCost", "splitLineItem/NetUnusedCost", "splitLineItem/ParentResourceId",
        "splitLineItem/PublicOnDemandSplitCost", "splitLineItem/PublicOnDemandUnusedCost",
        "splitLineItem/ReservedUsage", "splitLineItem/SplitCost", "splitLineItem/SplitUsage",
        "splitLineItem/SplitUsageRatio", "splitLineItem/UnusedCost",
    ]

    /// FOCUS 1.0 as AWS exports it, with `x_BillingEntity` so that marketplace lines can be told apart.
    static let focusColumns: [String] = [
        "AvailabilityZone", "BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency",
        "BillingPeriodEnd", "BillingPeriodStart", "ChargeCategory", "ChargeClass", "ChargeDescription",
        "ChargeFrequency", "ChargePeriodEnd", "ChargePeriodStart", "CommitmentDiscountCategory",
        "CommitmentDiscountId", "CommitmentDiscountName", "CommitmentDiscountStatus", "CommitmentDiscountType",
        "ConsumedQuantity", "ConsumedUnit", "ContractedCost", "ContractedUnitPrice", "EffectiveCost",
        "InvoiceIssuerName", "ListCost", "ListUnitPrice", "PricingCategory", "PricingQuantity", "PricingUnit",
        "ProviderName", "PublisherName", "RegionId", "RegionName", "ResourceId", "ResourceName", "ResourceType",
        "ServiceCategory", "ServiceName", "SkuId", "SkuPriceId", "SubAccountId", "SubAccountName", "Tags",
        "x_BillingEntity", "x_CostCategories", "x_Discounts", "x_Operation", "x_ServiceCode", "x_UsageType",
    ]

    /// `lineItem/UsageAccountId` → `line_item_usage_account_id`; `savingsPlan/SavingsPlanARN` →
    /// `savings_plan_savings_plan_a_r_n`, as AWS names CUR 2.0 columns.
    static func snakeCase(_ name: String) -> String {
        var result = ""
        var previousWasSeparator = true
        for character in name {
            if character == "/" || character == ":" {
                result.append("_")
                previousWasSeparator = true
            } else if character.isUppercase {
                if !previousWasSeparator { result.append("_") }
                result.append(Character(character.lowercased()))
                previousWasSeparator = false
            } else {
                result.append(character)
                previousWasSeparator = false
            }
        }
        return result
    }

    static func header(_ format: UsageGeneratorFormat) -> [String] {
        switch format {
        case .cur:
            return legacyColumns.flatMap {
                $0 == "#tags" ? UsageGenCatalogue.tagKeys.map { "resourceTags/" + $0 } : [$0]
            }
        case .cur2:
            return cur2Columns.map { name in
                switch name {
                case "#costCategory": "cost_category"
                case "#discount": "discount"
                case "#product": "product"
                case "#resourceTags": "resource_tags"
                default: snakeCase(name)
                }
            }
        case .focus:
            return focusColumns
        }
    }

    // MARK: Cells

    private static let usageEntity = "Amazon Web Services, Inc."

    /// The description of a (product, kind) line; nil when it varies per row.
    private func description(_ product: UsageGenProduct, _ index: Int, _ kind: UsageGenKind) -> String? {
        switch kind {
        case .usage, .savingsPlanCovered, .riFee, .savingsPlanRecurringFee, .savingsPlanUpfrontFee, .fee:
            return product.description
        case .freeUsage: return product.freeDescription ?? product.description
        case .discountedUsage:
            return products[product.riFeeProduct].description.replacingOccurrences(
                of: "USD \(UsageGenCatalogue.decimalText(products[product.riFeeProduct].rate))", with: "USD 0.0")
        case .savingsPlanNegation: return nil
        case .tax: return "Tax for product code " + product.code
        case .credit:
            return UsageGenCatalogue.creditDescriptions[index % UsageGenCatalogue.creditDescriptions.count]
        case .refund:
            return UsageGenCatalogue.refundDescriptions[index % UsageGenCatalogue.refundDescriptions.count]
        case .edpDiscount: return "Enterprise Discount Program discount"
        }
    }

    /// A legacy or CUR 2.0 column (by its legacy name) for a (product, kind).
    private func curCell(_ column: String, _ product: UsageGenProduct, _ index: Int, _ kind: UsageGenKind)
        -> UsageGenCell
    {
        let usageLike = kind.isUsageLike
        let hasResource = usageLike && product.resource != .none
        let normalized = usageLike && product.normalization > 0
        switch column {
        case "identity/LineItemId": return .value(.lineItemID)
        case "identity/TimeInterval": return .value(.timeInterval)
        case "bill/InvoiceId": return .value(.invoice)
        case "bill/InvoicingEntity": return .text(Self.usageEntity)
        case "bill/BillingEntity": return .text(product.entity)
        case "bill/BillType":
            return .text(kind == .savingsPlanUpfrontFee ? "Purchase" : kind == .refund ? "Refund" : "Anniversary")
        case "bill/PayerAccountId": return .value(.payer)
        case "bill/PayerAccountName": return .text(payerName)
        case "bill/BillingPeriodStartDate": return .value(.periodStart)
        case "bill/BillingPeriodEndDate": return .value(.periodEnd)
        case "lineItem/UsageAccountId": return .value(.account)
        case "lineItem/UsageAccountName": return .value(.accountName)
        case "lineItem/LineItemType": return .text(kind.lineItemType)
        case "lineItem/UsageStartDate": return .value(.usageStart)
        case "lineItem/UsageEndDate": return .value(.usageEnd)
        case "lineItem/ProductCode": return .text(product.code)
        case "lineItem/UsageType", "product/usagetype", "product/Usagetype":
            return kind.isAccountLevel ? .empty : .text(product.usageType)
        case "lineItem/Operation", "product/operation", "product/Operation":
            return kind.isAccountLevel ? .empty : .text(product.operation)
        case "lineItem/AvailabilityZone": return usageLike ? .text(product.availabilityZone) : .empty
        case "lineItem/ResourceId": return hasResource ? .value(.resource) : .empty
        case "lineItem/UsageAmount": return .value(.amount)
        case "lineItem/NormalizationFactor":
            return normalized ? .number(Int64(product.normalization) * 1_000_000_000) : .empty
        case "lineItem/NormalizedUsageAmount": return normalized ? .value(.normalizedAmount) : .empty
        case "lineItem/CurrencyCode", "pricing/currency", "pricing/Currency": return .text("USD")
        case "lineItem/UnblendedRate", "lineItem/BlendedRate", "lineItem/NetUnblendedRate":
            return kind.isAccountLevel ? .empty : .value(.unblendedRate)
        case "lineItem/UnblendedCost", "lineItem/BlendedCost", "lineItem/NetUnblendedCost":
            return .value(.unblendedCost)
        case "lineItem/LineItemDescription":
            return description(product, index, kind).map { .text($0) } ?? .value(.negationDescription)
        case "lineItem/TaxType": return kind == .tax ? .text("Sales Tax") : .empty
        case "lineItem/LegalEntity": return .text(product.legalEntity)
        case "product/ProductName": return .text(product.name)
        case "pricing/LeaseContractLength": return kind.isReservation ? .text("1yr") : .empty
        case "pricing/OfferingClass": return kind.isReservation ? .text("standard") : .empty
        case "pricing/PurchaseOption": return kind.isReservation ? .text("No Upfront") : .empty
        case "pricing/RateCode":
            guard usageLike || kind == .riFee else { return .empty }
            return .text(product.sku + (kind.isReservation ? ".4NA7Y494T4." : ".JRTCKXETXF.") + "6YS6EN2CT7")
        case "pricing/RateId": return usageLike && !product.rateID.isEmpty ? .text(product.rateID) : .empty
        case "pricing/publicOnDemandCost", "pricing/PublicOnDemandCost": return .value(.publicCost)
        case "pricing/publicOnDemandRate", "pricing/PublicOnDemandRate":
            return kind.isAccountLevel ? .empty : .value(.publicRate)
        case "pricing/term", "pricing/Term":
            if kind.isReservation { return .text("Reserved") }
            return usageLike ? .text("OnDemand") : .empty
        case "pricing/unit", "pricing/Unit", "product/PricingUnit":
            return usageLike || kind == .riFee ? .text(product.unit) : .empty
        case "reservation/ReservationARN": return kind.isReservation ? .value(.commitmentARN) : .empty
        case "reservation/EffectiveCost", "reservation/NetEffectiveCost", "reservation/RecurringFeeForUsage",
            "reservation/NetRecurringFeeForUsage":
            return kind == .discountedUsage ? .value(.effectiveCost) : .empty
        case "reservation/AmortizedUpfrontCostForUsage", "reservation/NetAmortizedUpfrontCostForUsage":
            return kind == .discountedUsage ? .number(0) : .empty
        case "reservation/AmortizedUpfrontFeeForBillingPeriod", "reservation/UpfrontValue",
            "reservation/NetUpfrontValue", "reservation/UnusedRecurringFee", "reservation/UnusedQuantity":
            return kind == .riFee ? .number(0) : .empty
        case "reservation/NumberOfReservations", "reservation/TotalReservedUnits":
            return kind == .riFee ? .value(.commitmentCount) : .empty
        case "reservation/UnitsPerReservation": return kind == .riFee ? .number(10_000_000_000) : .empty
        case "reservation/ModificationStatus": return kind == .riFee ? .text("Original") : .empty
        case "reservation/StartTime": return kind.isReservation ? .value(.commitmentStart) : .empty
        case "reservation/EndTime": return kind.isReservation ? .value(.commitmentEnd) : .empty
        case "reservation/SubscriptionId": return kind.isReservation ? .value(.subscription) : .empty
        case "savingsPlan/SavingsPlanARN": return kind.isSavingsPlan ? .value(.commitmentARN) : .empty
        case "savingsPlan/SavingsPlanRate": return kind == .savingsPlanCovered ? .value(.savingsPlanRate) : .empty
        case "savingsPlan/SavingsPlanEffectiveCost", "savingsPlan/NetSavingsPlanEffectiveCost",
            "savingsPlan/UsedCommitment":
            return kind == .savingsPlanCovered ? .value(.effectiveCost) : .empty
        case "savingsPlan/StartTime": return kind.isSavingsPlan ? .value(.commitmentStart) : .empty
        case "savingsPlan/EndTime": return kind.isSavingsPlan ? .value(.commitmentEnd) : .empty
        case "savingsPlan/OfferingType": return kind.isSavingsPlan ? .text("ComputeSavingsPlans") : .empty
        case "savingsPlan/PurchaseTerm": return kind.isSavingsPlan ? .text("1yr") : .empty
        case "savingsPlan/PaymentOption":
            guard kind.isSavingsPlan else { return .empty }
            return .text(
                product.role == .savingsPlanUpfront || product.role == .savingsPlanRecurring
                    ? product.usageType.replacingOccurrences(of: "ComputeSP:1yr", with: "")
                        .replacingOccurrences(of: "Upfront", with: " Upfront")
                    : "No Upfront")
        case "savingsPlan/RecurringCommitmentForBillingPeriod", "savingsPlan/NetRecurringCommitmentForBillingPeriod",
            "savingsPlan/TotalCommitmentToDate":
            return kind == .savingsPlanRecurringFee ? .value(.unblendedCost) : .empty
        case "savingsPlan/AmortizedUpfrontCommitmentForBillingPeriod",
            "savingsPlan/NetAmortizedUpfrontCommitmentForBillingPeriod":
            return kind == .savingsPlanUpfrontFee ? .value(.unblendedCost) : .empty
        case "discount/TotalDiscount": return kind == .edpDiscount ? .value(.unblendedCost) : .empty
        case "#tags":
            return hasResource
                ? .value(.tagColumns) : .raw(String(repeating: ",", count: UsageGenCatalogue.tagKeys.count - 1))
        case "#resourceTags": return hasResource ? .value(.tagsJSON) : .empty
        case "costCategory/BusinessUnit": return .value(.costCategory)
        case "#costCategory": return .value(.costCategoryJSON)
        case "#discount": return .empty
        case "#product": return .text(productJSON(product, kind))
        default:
            break
        }
        guard column.hasPrefix("product/"), !kind.isAccountLevel else { return .empty }
        var attribute = String(column.dropFirst("product/".count))
        if format == .cur2, let first = attribute.first { attribute = first.lowercased() + attribute.dropFirst() }
        switch attribute {
        case "servicecode": return .text(product.code)
        case "servicename": return .text(product.name)
        case "sku", "instancesku": return attribute == "sku" ? .text(product.sku) : .empty
        case "productFamily": return product.family.isEmpty ? .empty : .text(product.family)
        case "region", "regionCode": return product.region.map { .text($0.code) } ?? .empty
        case "location": return .text(product.region?.name ?? "Any")
        case "locationType": return .text(product.region == nil ? "AWS Edge Location" : "AWS Region")
        default: return product.attributes[attribute].map { .text($0) } ?? .empty
        }
    }

    /// The CUR 2.0 `product` map, as JSON.
    private func productJSON(_ product: UsageGenProduct, _ kind: UsageGenKind) -> String {
        var pairs: [(String, String)] = [("product_name", product.name)]
        if !kind.isAccountLevel {
            if let region = product.region { pairs.append(("region", region.code)) }
            pairs.append(("servicecode", product.code))
            pairs.append(("servicename", product.name))
            for key in product.attributes.keys.sorted() {
                pairs.append((Self.snakeCase(key), product.attributes[key]!))
            }
        }
        return "{"
            + pairs.map { "\"\($0.0)\":\"\($0.1.replacingOccurrences(of: "\"", with: "\\\""))\"" }
            .joined(separator: ",") + "}"
    }

    private func focusCell(_ column: String, _ product: UsageGenProduct, _ index: Int, _ kind: UsageGenKind)
        -> UsageGenCell
    {
        let usageLike = kind.isUsageLike
        let metered = usageLike && kind != .edpDiscount && kind != .savingsPlanNegation
        let commitment = kind.isReservation || kind.isSavingsPlan
        switch column {
        case "AvailabilityZone": return usageLike ? .text(product.availabilityZone) : .empty
        case "BilledCost", "ContractedCost": return .value(.unblendedCost)
        case "BillingAccountId": return .value(.payer)
        case "BillingAccountName": return .text(payerName)
        case "BillingCurrency": return .text("USD")
        case "BillingPeriodEnd": return .value(.periodEnd)
        case "BillingPeriodStart": return .value(.periodStart)
        case "ChargeCategory": return .text(kind.chargeCategory)
        case "ChargeClass", "CommitmentDiscountName", "ResourceName", "x_Discounts": return .empty
        case "ChargeDescription":
            return description(product, index, kind).map { .text($0) } ?? .value(.negationDescription)
        case "ChargeFrequency":
            switch kind {
            case .savingsPlanUpfrontFee, .credit, .refund: return .text("One-Time")
            case .fee: return .text(product.role == .support ? "Recurring" : "One-Time")
            case .riFee, .savingsPlanRecurringFee, .tax: return .text("Recurring")
            default: return .text("Usage-Based")
            }
        case "ChargePeriodEnd": return .value(.usageEnd)
        case "ChargePeriodStart": return .value(.usageStart)
        case "CommitmentDiscountCategory":
            return commitment ? .text(kind.isSavingsPlan ? "Spend" : "Usage") : .empty
        case "CommitmentDiscountId": return commitment ? .value(.commitmentARN) : .empty
        case "CommitmentDiscountStatus":
            return kind == .discountedUsage || kind == .savingsPlanCovered ? .text("Used") : .empty
        case "CommitmentDiscountType":
            return commitment ? .text(kind.isSavingsPlan ? "Compute Savings Plan" : "Reserved Instance") : .empty
        case "ConsumedQuantity", "PricingQuantity": return metered ? .value(.amount) : .empty
        case "ConsumedUnit", "PricingUnit": return metered ? .text(product.unit) : .empty
        case "ContractedUnitPrice": return metered ? .value(.unblendedRate) : .empty
        case "EffectiveCost": return .value(.effectiveCost)
        case "InvoiceIssuerName": return .text(Self.usageEntity)
        case "ListCost": return .value(.publicCost)
        case "ListUnitPrice": return metered ? .value(.publicRate) : .empty
        case "PricingCategory":
            switch kind {
            case .usage, .freeUsage: return .text("Standard")
            case .discountedUsage, .savingsPlanCovered: return .text("Committed")
            default: return .empty
            }
        case "ProviderName": return .text("AWS")
        case "PublisherName": return .text(product.legalEntity)
        case "RegionId": return product.region.map { .text($0.code) } ?? .empty
        case "RegionName": return product.region.map { .text($0.name) } ?? .empty
        case "ResourceId": return usageLike && product.resource != .none ? .value(.resource) : .empty
        case "ResourceType": return usageLike && product.resource != .none ? .text(product.resourceType) : .empty
        case "ServiceCategory": return .text(product.category)
        case "ServiceName": return .text(product.name)
        case "SkuId": return kind.isAccountLevel ? .empty : .text(product.sku)
        case "SkuPriceId":
            return usageLike
                ? .text(product.sku + (kind.isReservation ? ".4NA7Y494T4." : ".JRTCKXETXF.") + "6YS6EN2CT7") : .empty
        case "SubAccountId": return .value(.account)
        case "SubAccountName": return .value(.accountName)
        case "Tags": return usageLike && product.resource != .none ? .value(.tagsJSON) : .empty
        case "x_BillingEntity": return .text(product.entity)
        case "x_CostCategories": return .value(.costCategoryJSON)
        case "x_Operation": return kind.isAccountLevel ? .empty : .text(product.operation)
        case "x_ServiceCode": return .text(product.code)
        case "x_UsageType": return kind.isAccountLevel ? .empty : .text(product.usageType)
        default: return .empty
        }
    }

    // MARK: Encoding

    /// A text value as a CSV field: quoted when it holds a comma, quote or line break (FOCUS: always quoted, and
    /// NULL when empty, as AWS's FOCUS export writes).
    func field(_ text: String) -> String {
        if format == .focus { return text.isEmpty ? "NULL" : Self.quoted(text) }
        return Self.csvField(text)
    }

    static func csvField(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }) else { return text }
        return quoted(text)
    }

    /// In double quotes, with quotes doubled.
    static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = [34]
        for byte in text.utf8 {
            bytes.append(byte)
            if byte == 34 { bytes.append(34) }
        }
        bytes.append(34)
        return String(decoding: bytes, as: UTF8.self)
    }

    var emptyField: String { format == .focus ? "NULL" : "" }

    /// The number style: legacy CUR writes numbers as Java prints doubles (`1.0`, `0.096`, `4.0E-7`), CUR 2.0
    /// plainly (`1`, `0.096`, `0.0000004`), FOCUS with ten decimals (`0.0000004000`).
    var numberStyle: UInt8 {
        switch format {
        case .cur: 0
        case .cur2: 1
        case .focus: 2
        }
    }

    func numberText(_ value: Int64) -> String {
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: 128)
        defer { scratch.deallocate() }
        var w = scratch
        UsageGenWriter.number(value, numberStyle, &w)
        return String(decoding: UnsafeBufferPointer(start: scratch, count: w - scratch), as: UTF8.self)
    }

    private func encode(_ cell: UsageGenCell) -> String? {
        switch cell {
        case .empty: return emptyField
        case .text(let text): return field(text)
        case .number(let value): return numberText(value)
        case .raw(let text): return text
        case .value: return nil
        }
    }

    // MARK: Plans

    private func compilePlans() {
        planIndex = Array(repeating: -1, count: products.count * UsageGenKind.allCases.count)
        for (index, product) in products.enumerated() {
            var kinds: [UsageGenKind] = []
            switch product.role {
            case .usage:
                kinds = [.usage, .edpDiscount]
                if product.freeDescription != nil { kinds.append(.freeUsage) }
                if product.riFeeProduct >= 0 { kinds.append(.discountedUsage) }
                if product.use == .sp || product.use == .riAndSP {
                    kinds += [.savingsPlanCovered, .savingsPlanNegation]
                }
            case .marketplaceUsage: kinds = [.usage]
            case .riFee: kinds = [.riFee]
            case .savingsPlanRecurring: kinds = [.savingsPlanRecurringFee]
            case .savingsPlanUpfront: kinds = [.savingsPlanUpfrontFee]
            case .domainFee, .marketplaceFee, .support: kinds = [.fee]
            }
            if representativeProducts.contains(index) { kinds += [.tax, .credit, .refund] }
            for kind in kinds { compile(index, kind) }
        }
    }

    private func compile(_ index: Int, _ kind: UsageGenKind) {
        let product = products[index]
        let names: [String]
        switch format {
        case .cur: names = Self.legacyColumns
        case .cur2: names = Self.cur2Columns
        case .focus: names = Self.focusColumns
        }
        let first = steps.count
        var pending: [UInt8] = []
        var constantBytes = 0
        var values = 0
        func flushPending() {
            guard !pending.isEmpty else { return }
            steps.append(UsageGenStep(value: 0, span: arena.add(pending)))
            constantBytes += pending.count
            pending = []
        }
        for (position, name) in names.enumerated() {
            if position > 0 { pending.append(UInt8(ascii: ",")) }
            let cell = format == .focus ? focusCell(name, product, index, kind) : curCell(name, product, index, kind)
            if let text = encode(cell) {
                pending += Array(text.utf8)
            } else if case .value(let value) = cell {
                flushPending()
                steps.append(UsageGenStep(value: value.rawValue, span: .empty))
                values += 1
            }
        }
        flushPending()
        planIndex[index * UsageGenKind.allCases.count + kind.rawValue] = Int32(plans.count)
        plans.append(
            UsageGenPlan(
                first: Int32(first), count: Int32(steps.count - first),
                maxBytes: Int32(constantBytes + values * 600 + 2)))
    }

    // MARK: Running

    /// Writes the file; returns the summary line.
    func run() throws -> String {
        let clock = ContinuousClock()
        let started = clock.now
        let sink = try UsageGenSink(path: options.output, gzip: options.gzip)
        var state = makeState()
        defer { state.release() }

        // The header.
        let header: String
        if format == .focus {
            header = columns.map { "\"" + $0 + "\"" }.joined(separator: ",")
        } else {
            header = columns.map(Self.csvField).joined(separator: ",")
        }
        let headerBytes = Array((header + "\n").utf8)
        try sink.reserve(headerBytes.count)
        for byte in headerBytes {
            sink.buffer[sink.count] = byte
            sink.count += 1
        }
        try state.generate(rows: options.rows, into: sink)
        try sink.finish()

        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let megabytes = Double(sink.csvBytes) / 1_000_000
        let unblended = ExactDecimal(significand: state.unblendedTotal, scale: 10).normalized
        let publicTotal = ExactDecimal(significand: state.publicTotal, scale: 10).normalized
        let rate = String(
            format: "seconds=%.3f rows_per_s=%.0f mb_per_s=%.1f", seconds, Double(options.rows) / max(seconds, 1e-9),
            megabytes / max(seconds, 1e-9))
        return "proforma-bench usage: format=\(format.rawValue) rows=\(options.rows) columns=\(columns.count) "
            + "accounts=\(accounts.count) periods=\(options.periods.count) csv_bytes=\(sink.csvBytes) "
            + "file_bytes=\(sink.fileBytes) \(rate) unblended=\(unblended) public=\(publicTotal) "
            + "output=\(options.output)"
    }

    private func makeState() -> UsageGenState {
        func spans(_ texts: [String]) -> [UsageGenSpan] { texts.map { arena.add($0) } }
        func stamp(_ time: (year: Int, month: Int, day: Int, hour: Int)) -> String {
            let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
            defer { scratch.deallocate() }
            var w = scratch
            UsageGenWriter.stamp(time.year, time.month, time.day, time.hour, style: dateStyle, quote: false, &w)
            return String(decoding: UnsafeBufferPointer(start: scratch, count: w - scratch), as: UTF8.self)
        }
        let hotProducts = UnsafeMutablePointer<UsageGenHotProduct>.allocate(capacity: products.count)
        for (index, product) in products.enumerated() {
            let (low, high): (Int, Int)
            let shapeKind: Int8
            switch product.shape {
            case .hours: (shapeKind, low, high) = (0, 0, 0)
            case .count(let a, let b): (shapeKind, low, high) = (1, a, b)
            case .quantity(let a, let b): (shapeKind, low, high) = (2, a, b)
            }
            let parts = product.resourceParts
            hotProducts[index] = UsageGenHotProduct(
                rate: product.rate, shapeKind: shapeKind, low: Int8(low), high: Int8(high), daily: product.daily,
                normalization: Int32(product.normalization), riFeeProduct: Int32(product.riFeeProduct),
                sku: arena.add(product.sku), resourcePrefix: arena.add(parts.prefix),
                resourceMiddle: arena.add(parts.middle), resourceWithAccount: parts.withAccount,
                resourceDigits: Int8(parts.digits))
        }
        let hotAccounts = UnsafeMutablePointer<UsageGenHotAccount>.allocate(capacity: accounts.count)
        for (index, account) in accounts.enumerated() {
            let category = account.costCategory
            let json = category.isEmpty ? "" : "{\"business_unit\":\"" + category + "\"}"
            hotAccounts[index] = UsageGenHotAccount(
                id: arena.add(account.id), name: arena.add(field(account.name)),
                cluster: Int32(account.cluster), costCategory: arena.add(field(category)),
                costCategoryJSON: arena.add(json.isEmpty ? emptyField : field(json)),
                seed: UsageGenRandom.mix(UInt64(index) &+ options.seed &* 0x9E37_79B9))
        }
        let hotCommitments = UnsafeMutablePointer<UsageGenHotCommitment>.allocate(capacity: max(1, commitments.count))
        for (index, commitment) in commitments.enumerated() {
            var end = commitment.start
            end.year += 1
            hotCommitments[index] = UsageGenHotCommitment(
                isSavingsPlan: commitment.isSavingsPlan, owner: Int32(commitment.owner),
                product: Int32(commitment.product), hourly: commitment.hourly, count: Int32(commitment.count),
                upfront: commitment.upfront, discount: Int32(commitment.discount),
                recurringProduct: Int32(commitment.recurringProduct), upfrontProduct: Int32(commitment.upfrontProduct),
                arn: arena.add(field(commitment.arn)), start: arena.add(field(stamp(commitment.start))),
                end: arena.add(field(stamp(end))), subscription: arena.add(field(commitment.subscription)))
        }
        let periods = UnsafeMutablePointer<UsageGenHotPeriod>.allocate(capacity: options.periods.count)
        for (index, period) in options.periods.enumerated() {
            let next = period.next
            let days = Self.days(period.year, period.month)
            let invoice = format == .focus ? "" : String(100_000_000 + random.below(899_999_999))
            periods[index] = UsageGenHotPeriod(
                year: period.year, month: period.month, hours: days * 24, nextYear: next.year, nextMonth: next.month,
                invoice: arena.add(invoice))
        }
        // Tag combinations: every mix of the tag values, pre-encoded for the format.
        var tagSpans: [UsageGenSpan] = []
        let values = UsageGenCatalogue.tagValues
        var combination = Array(repeating: 0, count: values.count)
        while true {
            let chosen = combination.enumerated().map { values[$0.offset][$0.element] }
            switch format {
            case .cur:
                tagSpans.append(arena.add(chosen.map(Self.csvField).joined(separator: ",")))
            case .cur2, .focus:
                let pairs = zip(UsageGenCatalogue.tagKeys, chosen).filter { !$0.1.isEmpty }
                let key: (String) -> String = { [format] in format == .cur2 ? Self.snakeCase($0) : $0 }
                let json =
                    pairs.isEmpty
                    ? "" : "{" + pairs.map { "\"\(key($0.0))\": \"\($0.1)\"" }.joined(separator: ", ") + "}"
                tagSpans.append(arena.add(json.isEmpty ? emptyField : field(json)))
            }
            var position = values.count - 1
            while position >= 0 {
                combination[position] += 1
                if combination[position] < values[position].count { break }
                combination[position] = 0
                position -= 1
            }
            if position < 0 { break }
        }
        let tags = UnsafeMutablePointer<UsageGenSpan>.allocate(capacity: tagSpans.count)
        for (index, span) in tagSpans.enumerated() { tags[index] = span }

        // Commitments by cluster.
        var clusterReservations = Array(repeating: [Int](), count: clusters.count)
        var clusterPlans = Array(repeating: [Int](), count: clusters.count)
        for (index, commitment) in commitments.enumerated() {
            let cluster = accounts[commitment.owner].cluster
            guard cluster >= 0 else { continue }
            if commitment.isSavingsPlan {
                clusterPlans[cluster].append(index)
            } else {
                clusterReservations[cluster].append(index)
            }
        }
        let stepsPointer = UnsafeMutablePointer<UsageGenStep>.allocate(capacity: max(1, steps.count))
        for (index, step) in steps.enumerated() { stepsPointer[index] = step }
        let plansPointer = UnsafeMutablePointer<UsageGenPlan>.allocate(capacity: max(1, plans.count))
        for (index, plan) in plans.enumerated() { plansPointer[index] = plan }
        let planIndexPointer = UnsafeMutablePointer<Int32>.allocate(capacity: planIndex.count)
        for (index, plan) in planIndex.enumerated() { planIndexPointer[index] = plan }

        let reservations = commitments.indices.filter { !commitments[$0].isSavingsPlan }
        let savingsPlans = commitments.indices.filter { commitments[$0].isSavingsPlan }
        var state = UsageGenState(
            random: UsageGenRandom(seed: UsageGenRandom.mix(options.seed ^ 0x5EED_0F_0001)),
            idRandom: UsageGenRandom(seed: UsageGenRandom.mix(options.seed ^ 0x1D_0F_0002)),
            arena: arena.base, style: numberStyle, dateStyle: dateStyle, quote: format == .focus,
            products: hotProducts, accounts: hotAccounts, commitments: hotCommitments, periods: periods,
            periodCount: options.periods.count, tags: tags, tagCount: tagSpans.count, steps: stepsPointer,
            plans: plansPointer, planIndex: planIndexPointer, kindCount: UsageGenKind.allCases.count,
            payer: arena.add(payer),
            accountTable: UsageGenTable(weights: accounts.map(\.weight)),
            usageTable: UsageGenTable(weights: usageProducts.map { products[$0].weight }), usageProducts: usageProducts,
            freeTable: UsageGenTable(weights: freeProducts.map { products[$0].weight }), freeProducts: freeProducts,
            savingsPlanTable: UsageGenTable(weights: savingsPlanProducts.map { products[$0].weight }),
            savingsPlanProducts: savingsPlanProducts, marketplaceUsage: marketplaceUsageProducts,
            marketplaceFees: marketplaceFeeProducts, domains: domainProducts, support: supportProducts,
            representatives: representativeProducts, reservations: reservations, savingsPlans: savingsPlans,
            recurringPlans: savingsPlans.filter { commitments[$0].recurringProduct >= 0 },
            upfrontPlans: savingsPlans.filter { commitments[$0].upfrontProduct >= 0 },
            clusterReservations: UsageGenIndexList(clusterReservations), clusterPlans: UsageGenIndexList(clusterPlans),
            edpPercent: edpPercent,
            pickTable: UsageGenTable(weights: UsageGenPick.allCases.map(\.weight), minimumSize: 1 << 17))
        state.usageScale = options.usageScale
        if let percent = options.maxCreditPercent {
            state.maxCreditPercent = percent
            state.usageSoFar = Array(repeating: 0, count: accounts.count * options.periods.count)
            state.creditsSoFar = Array(repeating: 0, count: accounts.count * options.periods.count)
        }
        state.negationPrefix = arena.add("SavingsPlanNegation used by AccountId : ")
        state.negationMiddle = arena.add(" and UsageSku : ")
        state.arena = arena.base
        return state
    }

    /// Dates: legacy CUR `2025-01-01T00:00:00.000Z`, CUR 2.0 `2025-01-01 00:00:00.000`, FOCUS `2025-01-01 00:00:00`.
    var dateStyle: UInt8 {
        switch format {
        case .cur: 1
        case .cur2: 2
        case .focus: 3
        }
    }

    static func days(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// Lists of indexes, flattened.
struct UsageGenIndexList {
    let starts: UnsafeMutablePointer<Int32>
    let counts: UnsafeMutablePointer<Int32>
    let items: UnsafeMutablePointer<Int32>

    init(_ lists: [[Int]]) {
        starts = .allocate(capacity: max(1, lists.count))
        counts = .allocate(capacity: max(1, lists.count))
        let total = lists.reduce(0) { $0 + $1.count }
        items = .allocate(capacity: max(1, total))
        var position = 0
        for (index, list) in lists.enumerated() {
            starts[index] = Int32(position)
            counts[index] = Int32(list.count)
            for item in list {
                items[position] = Int32(item)
                position += 1
            }
        }
    }

    func release() {
        starts.deallocate()
        counts.deallocate()
        items.deallocate()
    }
}

/// What a row is, before its product and account are chosen. Weights are per 100,000 picks; each Savings Plan
/// covered line is followed by its negation. Monthly charges (fees, tax, credits) are rarer than hourly usage, as
/// in a real report, but every kind occurs in every file (see `UsageGenState.prelude`).
enum UsageGenPick: Int, CaseIterable {
    case usage, freeUsage, missingPublicCost, marketplaceUsage, reservedOwn, reservedOther, savingsPlanOwn,
        savingsPlanOther, riFee, savingsPlanRecurringFee, savingsPlanUpfrontFee, domainFee, marketplaceFee, support,
        tax, credit, refund, edpDiscount

    var weight: Int {
        switch self {
        case .usage: 100_000 - Self.allCases.dropFirst().reduce(0) { $0 + $1.weight }
        case .freeUsage: 5_500
        case .missingPublicCost: 250
        case .marketplaceUsage: 1_500
        case .reservedOwn: 4_800
        case .reservedOther: 1_700
        case .savingsPlanOwn: 4_800
        case .savingsPlanOther: 1_700
        case .riFee: 60
        case .savingsPlanRecurringFee: 40
        case .savingsPlanUpfrontFee: 5
        case .domainFee: 20
        case .marketplaceFee: 3
        case .support: 40
        case .tax: 600
        case .credit: 150
        case .refund: 40
        case .edpDiscount: 4_000
        }
    }
}

/// The generation loop's state: raw pointers and plain values only, so that the loop does no reference counting.
struct UsageGenState {
    var random: UsageGenRandom
    /// Line item IDs draw from their own sequence, so that a seed gives the same lines in every format.
    var idRandom: UsageGenRandom
    var arena: UnsafeMutablePointer<UInt8>
    let style: UInt8
    let dateStyle: UInt8
    let quote: Bool
    let products: UnsafeMutablePointer<UsageGenHotProduct>
    let accounts: UnsafeMutablePointer<UsageGenHotAccount>
    let commitments: UnsafeMutablePointer<UsageGenHotCommitment>
    let periods: UnsafeMutablePointer<UsageGenHotPeriod>
    let periodCount: Int
    let tags: UnsafeMutablePointer<UsageGenSpan>
    let tagCount: Int
    let steps: UnsafeMutablePointer<UsageGenStep>
    let plans: UnsafeMutablePointer<UsageGenPlan>
    let planIndex: UnsafeMutablePointer<Int32>
    let kindCount: Int
    let payer: UsageGenSpan
    let accountTable: UsageGenTable
    let usageTable: UsageGenTable
    let usageProducts: [Int]
    let freeTable: UsageGenTable
    let freeProducts: [Int]
    let savingsPlanTable: UsageGenTable
    let savingsPlanProducts: [Int]
    let marketplaceUsage: [Int]
    let marketplaceFees: [Int]
    let domains: [Int]
    let support: [Int]
    let representatives: [Int]
    let reservations: [Int]
    let savingsPlans: [Int]
    let recurringPlans: [Int]
    let upfrontPlans: [Int]
    let clusterReservations: UsageGenIndexList
    let clusterPlans: UsageGenIndexList
    let edpPercent: Int64
    let pickTable: UsageGenTable
    var negationPrefix = UsageGenSpan.empty
    var negationMiddle = UsageGenSpan.empty

    /// Sums of what was written, in units of 10⁻¹⁰.
    var unblendedTotal: Int128 = 0
    var publicTotal: Int128 = 0
    /// `--usage-scale` and `--max-credit-percent` (-1: not held).
    var usageScale: Int64 = 1
    var maxCreditPercent: Int64 = -1
    /// Per account and period (account × periodCount + period): the actual cost of its usage lines written so
    /// far, and of its credits and refunds (as a positive amount), in units of 10⁻¹⁰.
    var usageSoFar: [Int64] = []
    var creditsSoFar: [Int64] = []

    func release() {
        products.deallocate()
        accounts.deallocate()
        commitments.deallocate()
        periods.deallocate()
        tags.deallocate()
        steps.deallocate()
        plans.deallocate()
        planIndex.deallocate()
        clusterReservations.release()
        clusterPlans.release()
    }

    // MARK: Choosing

    /// Every pick once at the start, so that every kind of line occurs in any file of a few dozen rows or more.
    static let prelude: [UsageGenPick] = UsageGenPick.allCases

    mutating func generate(rows: Int, into sink: UsageGenSink) throws {
        var row = UsageGenRow()
        var pendingNegation = false
        for number in 0..<rows {
            let period = periodCount == 1 ? 0 : Int((Int128(number) * Int128(periodCount)) / Int128(rows))
            if pendingNegation && row.period == period {
                negate(&row)
                pendingNegation = false
            } else {
                pendingNegation = false
                let pick =
                    number < Self.prelude.count
                    ? Self.prelude[number] : UsageGenPick(rawValue: pickTable.pick(&random))!
                row = UsageGenRow()
                row.period = period
                choose(pick, &row)
                pendingNegation = row.kind == UsageGenKind.savingsPlanCovered.rawValue
            }
            if maxCreditPercent >= 0 && row.unblendedCost > 0 && Self.isUsage(row.kind) {
                usageSoFar[row.account * periodCount + row.period] &+= row.unblendedCost
            }
            unblendedTotal += Int128(row.unblendedCost)
            if row.hasPublic { publicTotal += Int128(row.publicCost) }
            let plan = plans[Int(planIndex[row.product * kindCount + row.kind])]
            try sink.reserve(Int(plan.maxBytes))
            let start = sink.buffer + sink.count
            var w = start
            write(plan, &row, &w)
            w.pointee = 10
            w += 1
            sink.count += w - start
        }
    }

    @inline(__always)
    private mutating func account() -> Int { accountTable.pick(&random) }

    /// Usage lines whose actual cost is the account's (on-demand and marketplace usage; reserved usage costs 0, and
    /// Savings Plan covered usage is cancelled by its negation): what credits are held against.
    @inline(__always)
    static func isUsage(_ kind: Int) -> Bool {
        kind == UsageGenKind.usage.rawValue || kind == UsageGenKind.discountedUsage.rawValue
    }

    /// `value` times the usage scale, or `value` when that would overflow.
    @inline(__always)
    private func scaled(_ value: Int64) -> Int64 {
        let (product, overflow) = value.multipliedReportingOverflow(by: usageScale)
        return overflow || product > Int64(1) << 60 ? value : product
    }

    /// A commitment for a line of `account`: one of its group's when `own` and there is one, else any.
    private mutating func commitment(for account: Int, savingsPlan: Bool, own: Bool) -> Int {
        let list = savingsPlan ? savingsPlans : reservations
        let cluster = Int(accounts[account].cluster)
        if own && cluster >= 0 {
            let byCluster = savingsPlan ? clusterPlans : clusterReservations
            let count = Int(byCluster.counts[cluster])
            if count > 0 {
                return Int(byCluster.items[Int(byCluster.starts[cluster]) + random.below(count)])
            }
        }
        if !own {
            // Prefer a commitment owned outside the account's group.
            for _ in 0..<8 {
                let candidate = list[random.below(list.count)]
                if cluster < 0 || Int(accounts[Int(commitments[candidate].owner)].cluster) != cluster {
                    return candidate
                }
            }
        }
        return list[random.below(list.count)]
    }

    /// A usage amount for the product, in units of 10⁻¹⁰.
    private mutating func amount(_ product: UsageGenHotProduct) -> Int64 {
        switch product.shapeKind {
        case 0:
            return random.below(10) < 9 ? 10_000_000_000 : Int64(1 + random.below(99)) * 100_000_000
        case 1:
            let decade = Int(product.low) + random.below(max(1, Int(product.high - product.low)))
            var value = Int64(1_000 + random.below(9_000))
            var exponent = decade - 3
            while exponent < 0 {
                value /= 10
                exponent += 1
            }
            for _ in 0..<exponent { value *= 10 }
            return max(1, value) * 10_000_000_000
        default:
            let decade = Int(product.low) + random.below(max(1, Int(product.high - product.low)))
            var value = Int64(1_000 + random.below(9_000))
            for _ in 0..<(decade + 7) { value *= 10 }
            return value
        }
    }

    @inline(__always)
    private static func times(_ amount: Int64, _ rate: Int64) -> Int64 {
        let product = Int128(amount) * Int128(rate)
        return Int64((product + 5_000_000_000) / 10_000_000_000)
    }

    private mutating func usageTimes(_ product: UsageGenHotProduct, _ row: inout UsageGenRow) {
        let hours = periods[row.period].hours
        if product.daily {
            let day = random.below(hours / 24)
            row.start = day * 24
            row.end = row.start + 24
        } else {
            row.start = random.below(hours)
            row.end = row.start + 1
        }
    }

    private mutating func wholePeriod(_ row: inout UsageGenRow) {
        row.start = 0
        row.end = periods[row.period].hours
    }

    /// A metered line of `productIndex` at public rates.
    private mutating func meter(_ productIndex: Int, _ row: inout UsageGenRow) {
        let product = products[productIndex]
        row.product = productIndex
        row.amount = usageScale == 1 ? amount(product) : scaled(amount(product))
        row.publicRate = product.rate
        row.publicCost = max(1, Self.times(row.amount, product.rate))
        row.unblendedRate = product.rate
        row.unblendedCost = row.publicCost
        row.effective = row.publicCost
        usageTimes(product, &row)
        if product.resourceDigits > 0 {
            row.resourceSeed = UsageGenRandom.mix(
                accounts[row.account].seed &+ UInt64(productIndex) &* 0x1000 &+ UInt64(random.below(6)))
            row.tagCombination = 1 + Int(row.resourceSeed >> 11) % (tagCount - 1)
        }
    }

    private mutating func choose(_ pick: UsageGenPick, _ row: inout UsageGenRow) {
        row.account = account()
        switch pick {
        case .usage, .missingPublicCost:
            row.kind = UsageGenKind.usage.rawValue
            meter(usageProducts[usageTable.pick(&random)], &row)
            row.hasPublic = pick == .usage
        case .freeUsage:
            row.kind = UsageGenKind.freeUsage.rawValue
            meter(freeProducts[freeTable.pick(&random)], &row)
            row.unblendedRate = 0
            row.unblendedCost = 0
            row.effective = 0
        case .marketplaceUsage:
            row.kind = UsageGenKind.usage.rawValue
            meter(marketplaceUsage[random.below(marketplaceUsage.count)], &row)
        case .reservedOwn, .reservedOther:
            row.kind = UsageGenKind.discountedUsage.rawValue
            row.commitment = commitment(for: row.account, savingsPlan: false, own: pick == .reservedOwn)
            let reservation = commitments[row.commitment]
            meter(Int(reservation.product), &row)
            row.amount = scaled(10_000_000_000)
            row.start = random.below(periods[row.period].hours)
            row.end = row.start + 1
            row.publicCost = Self.times(row.amount, products[row.product].rate)
            row.unblendedRate = 0
            row.unblendedCost = 0
            row.effective = reservation.hourly
        case .savingsPlanOwn, .savingsPlanOther:
            row.kind = UsageGenKind.savingsPlanCovered.rawValue
            row.commitment = commitment(for: row.account, savingsPlan: true, own: pick == .savingsPlanOwn)
            meter(savingsPlanProducts[savingsPlanTable.pick(&random)], &row)
            let keep = Int64(100 - commitments[row.commitment].discount)
            row.savingsPlanRate = row.publicRate * keep / 100
            row.effective = Self.times(row.amount, row.savingsPlanRate)
        case .riFee:
            row.kind = UsageGenKind.riFee.rawValue
            row.commitment = reservations[random.below(reservations.count)]
            let reservation = commitments[row.commitment]
            row.account = Int(reservation.owner)
            row.product = Int(products[Int(reservation.product)].riFeeProduct)
            wholePeriod(&row)
            row.amount = Int64(row.end) * Int64(reservation.count) * 10_000_000_000
            row.unblendedRate = reservation.hourly
            row.unblendedCost = Self.times(row.amount, reservation.hourly)
            row.publicCost = 0
            row.effective = row.unblendedCost
        case .savingsPlanRecurringFee:
            row.kind = UsageGenKind.savingsPlanRecurringFee.rawValue
            row.commitment = recurringPlans[random.below(recurringPlans.count)]
            let plan = commitments[row.commitment]
            row.account = Int(plan.owner)
            row.product = Int(plan.recurringProduct)
            wholePeriod(&row)
            row.amount = Int64(row.end) * 10_000_000_000
            row.unblendedRate = plan.hourly
            row.unblendedCost = Self.times(row.amount, plan.hourly)
            row.publicCost = 0
            row.effective = row.unblendedCost
        case .savingsPlanUpfrontFee:
            row.kind = UsageGenKind.savingsPlanUpfrontFee.rawValue
            row.commitment = upfrontPlans[random.below(upfrontPlans.count)]
            let plan = commitments[row.commitment]
            row.account = Int(plan.owner)
            row.product = Int(plan.upfrontProduct)
            wholePeriod(&row)
            row.amount = 10_000_000_000
            row.unblendedRate = plan.upfront
            row.unblendedCost = plan.upfront
            row.publicCost = 0
            row.effective = plan.upfront
        case .domainFee, .marketplaceFee, .support:
            row.kind = UsageGenKind.fee.rawValue
            let list = pick == .domainFee ? domains : pick == .marketplaceFee ? marketplaceFees : support
            row.product = list[random.below(list.count)]
            wholePeriod(&row)
            row.amount = 10_000_000_000
            let fee =
                pick == .support
                ? Int64(29 + random.below(3_000)) * 10_000_000_000 + Int64(random.below(100)) * 100_000_000
                : products[row.product].rate
            row.unblendedRate = fee
            row.unblendedCost = fee
            row.publicCost = 0
            row.effective = fee
        case .tax, .credit, .refund:
            row.kind = (pick == .tax ? UsageGenKind.tax : pick == .credit ? .credit : .refund).rawValue
            row.product = representatives[random.below(representatives.count)]
            wholePeriod(&row)
            // Tax: up to $50 with ten decimals; credits and refunds: up to $500 in whole cents, negative.
            var value =
                pick == .tax
                ? Int64(random.below(500_000)) * 1_000_000 + Int64(random.below(1_000_000))
                : -(Int64(1 + random.below(50_000)) * 100_000_000)
            if pick != .tax && maxCreditPercent >= 0 {
                // Held to the percentage of the account's usage so far in the period, in whole cents, at least 1.
                let slot = row.account * periodCount + row.period
                let room = usageSoFar[slot] / 100 * maxCreditPercent - creditsSoFar[slot]
                let cents = max(1, min(-value, room) / 100_000_000)
                value = -cents * 100_000_000
                creditsSoFar[slot] &+= -value
            }
            row.amount = pick == .tax ? 10_000_000_000 : 0
            row.unblendedCost = value
            row.publicCost = 0
            row.effective = value
        case .edpDiscount:
            row.kind = UsageGenKind.edpDiscount.rawValue
            meter(usageProducts[usageTable.pick(&random)], &row)
            row.unblendedRate = -(row.publicRate * edpPercent / 100)
            row.unblendedCost = -(row.publicCost * edpPercent / 100)
            row.publicRate = 0
            row.publicCost = 0
            row.effective = row.unblendedCost
        }
    }

    /// The negation of the Savings Plan covered line in `row`.
    private mutating func negate(_ row: inout UsageGenRow) {
        row.kind = UsageGenKind.savingsPlanNegation.rawValue
        row.unblendedRate = -row.unblendedRate
        row.unblendedCost = -row.unblendedCost
        row.publicRate = 0
        row.publicCost = 0
        row.effective = 0
        row.hasPublic = true
    }

    // MARK: Writing

    @inline(__always)
    private func copy(_ span: UsageGenSpan, _ w: inout UnsafeMutablePointer<UInt8>) {
        let length = Int(span.length)
        w.update(from: arena + Int(span.offset), count: length)
        w += length
    }

    @inline(__always)
    private func quoteMark(_ w: inout UnsafeMutablePointer<UInt8>) {
        if quote {
            w.pointee = 34
            w += 1
        }
    }

    private mutating func write(_ plan: UsageGenPlan, _ row: inout UsageGenRow, _ w: inout UnsafeMutablePointer<UInt8>)
    {
        var index = Int(plan.first)
        let end = index + Int(plan.count)
        while index < end {
            let step = steps[index]
            index += 1
            if step.value == 0 {
                copy(step.span, &w)
            } else {
                value(step.value, &row, &w)
            }
        }
    }

    private mutating func value(_ code: UInt8, _ row: inout UsageGenRow, _ w: inout UnsafeMutablePointer<UInt8>) {
        let period = periods[row.period]
        switch UsageGenValue(rawValue: code)! {
        case .constant:
            break
        case .lineItemID:
            UsageGenWriter.lineItemID(&idRandom, &w)
        case .timeInterval:
            UsageGenWriter.hourStamp(period, row.start, style: 0, quote: false, &w)
            w.pointee = UInt8(ascii: "/")
            w += 1
            UsageGenWriter.hourStamp(period, row.end, style: 0, quote: false, &w)
        case .periodStart:
            UsageGenWriter.hourStamp(period, 0, style: dateStyle, quote: quote, &w)
        case .periodEnd:
            UsageGenWriter.hourStamp(period, period.hours, style: dateStyle, quote: quote, &w)
        case .usageStart:
            UsageGenWriter.hourStamp(period, row.start, style: dateStyle, quote: quote, &w)
        case .usageEnd:
            UsageGenWriter.hourStamp(period, row.end, style: dateStyle, quote: quote, &w)
        case .payer:
            quoteMark(&w)
            copy(payer, &w)
            quoteMark(&w)
        case .account:
            quoteMark(&w)
            copy(accounts[row.account].id, &w)
            quoteMark(&w)
        case .accountName:
            copy(accounts[row.account].name, &w)
        case .amount:
            UsageGenWriter.number(row.amount, style, &w)
        case .normalizedAmount:
            let factor = Int64(products[row.product].normalization)
            UsageGenWriter.number(row.amount * factor / 10, style, &w)
        case .unblendedRate:
            UsageGenWriter.number(row.unblendedRate, style, &w)
        case .unblendedCost:
            UsageGenWriter.number(row.unblendedCost, style, &w)
        case .publicCost:
            if row.hasPublic {
                UsageGenWriter.number(row.publicCost, style, &w)
            } else {
                UsageGenWriter.null(quote, &w)
            }
        case .publicRate:
            if row.hasPublic {
                UsageGenWriter.number(row.publicRate, style, &w)
            } else {
                UsageGenWriter.null(quote, &w)
            }
        case .effectiveCost:
            UsageGenWriter.number(row.effective, style, &w)
        case .savingsPlanRate:
            UsageGenWriter.number(row.savingsPlanRate, style, &w)
        case .resource:
            let product = products[row.product]
            quoteMark(&w)
            copy(product.resourcePrefix, &w)
            if product.resourceWithAccount { copy(accounts[row.account].id, &w) }
            copy(product.resourceMiddle, &w)
            UsageGenWriter.hex(row.resourceSeed, Int(product.resourceDigits), &w)
            quoteMark(&w)
        case .commitmentARN:
            copy(commitments[row.commitment].arn, &w)
        case .commitmentStart:
            copy(commitments[row.commitment].start, &w)
        case .commitmentEnd:
            copy(commitments[row.commitment].end, &w)
        case .subscription:
            copy(commitments[row.commitment].subscription, &w)
        case .commitmentCount:
            UsageGenWriter.number(Int64(commitments[row.commitment].count) * 10_000_000_000, style, &w)
        case .invoice:
            copy(period.invoice, &w)
        case .tagColumns, .tagsJSON:
            copy(tags[row.tagCombination], &w)
        case .negationDescription:
            quoteMark(&w)
            copy(negationPrefix, &w)
            copy(accounts[row.account].id, &w)
            copy(negationMiddle, &w)
            copy(products[row.product].sku, &w)
            quoteMark(&w)
        case .costCategory:
            copy(accounts[row.account].costCategory, &w)
        case .costCategoryJSON:
            copy(accounts[row.account].costCategoryJSON, &w)
        }
    }
}

/// Formatting from integers straight into the output buffer.
enum UsageGenWriter {
    @inline(__always)
    static func put(_ byte: UInt8, _ w: inout UnsafeMutablePointer<UInt8>) {
        w.pointee = byte
        w += 1
    }

    static func null(_ focus: Bool, _ w: inout UnsafeMutablePointer<UInt8>) {
        guard focus else { return }
        put(78, &w)
        put(85, &w)
        put(76, &w)
        put(76, &w)
    }

    /// A value in units of 10⁻¹⁰. Style 0: as Java prints a double (`0.0`, `1.0`, `0.096`, `4.0E-7`, `1.2E7`);
    /// 1: plain, no trailing zeros (`0`, `1`, `0.0000004`); 2: ten decimals (`0.0000004000`).
    static func number(_ value: Int64, _ style: UInt8, _ w: inout UnsafeMutablePointer<UInt8>) {
        if value < 0 { put(45, &w) }
        var magnitude = value.magnitude
        // Digits, least significant first, at least 11 (one before the point), in scratch space past the output.
        let digits = w + 64
        var count = 0
        repeat {
            digits[count] = UInt8(truncatingIfNeeded: 48 &+ magnitude % 10)
            magnitude /= 10
            count += 1
        } while magnitude > 0
        let significant = count
        while count < 11 {
            digits[count] = 48
            count += 1
        }
        // The lowest non-zero digit (10 when the fraction is zero).
        var lowest = 0
        while lowest < 10 && digits[lowest] == 48 { lowest += 1 }
        let isZero = significant == 1 && digits[0] == 48
        if style == 0 && !isZero && (value.magnitude < 10_000_000 || value.magnitude >= 100_000_000_000_000_000) {
            // Scientific: d.ddd E exponent.
            let top = significant - 1
            var low = 0
            while low < top && digits[low] == 48 { low += 1 }
            put(digits[top], &w)
            put(46, &w)
            if low == top {
                put(48, &w)
            } else {
                var i = top - 1
                while i >= low {
                    put(digits[i], &w)
                    i -= 1
                }
            }
            put(69, &w)
            var exponent = top - 10
            if exponent < 0 {
                put(45, &w)
                exponent = -exponent
            }
            if exponent >= 10 { put(UInt8(48 + exponent / 10), &w) }
            put(UInt8(48 + exponent % 10), &w)
            return
        }
        var i = count - 1
        while i >= 10 {
            put(digits[i], &w)
            i -= 1
        }
        switch style {
        case 2:
            put(46, &w)
            for j in stride(from: 9, through: 0, by: -1) { put(digits[j], &w) }
        case 1:
            if lowest < 10 {
                put(46, &w)
                for j in stride(from: 9, through: lowest, by: -1) { put(digits[j], &w) }
            }
        default:
            put(46, &w)
            if lowest == 10 {
                put(48, &w)
            } else {
                for j in stride(from: 9, through: lowest, by: -1) { put(digits[j], &w) }
            }
        }
    }

    @inline(__always)
    static func two(_ value: Int, _ w: inout UnsafeMutablePointer<UInt8>) {
        put(UInt8(48 + value / 10), &w)
        put(UInt8(48 + value % 10), &w)
    }

    /// Style 0: `2025-01-01T00:00:00Z`, 1: `2025-01-01T00:00:00.000Z`, 2: `2025-01-01 00:00:00.000`,
    /// 3: `2025-01-01 00:00:00`.
    static func stamp(
        _ year: Int, _ month: Int, _ day: Int, _ hour: Int, style: UInt8, quote: Bool,
        _ w: inout UnsafeMutablePointer<UInt8>
    ) {
        if quote { put(34, &w) }
        two(year / 100, &w)
        two(year % 100, &w)
        put(45, &w)
        two(month, &w)
        put(45, &w)
        two(day, &w)
        put(style <= 1 ? 84 : 32, &w)
        two(hour, &w)
        put(58, &w)
        put(48, &w)
        put(48, &w)
        put(58, &w)
        put(48, &w)
        put(48, &w)
        if style == 1 || style == 2 {
            put(46, &w)
            put(48, &w)
            put(48, &w)
            put(48, &w)
        }
        if style <= 1 { put(90, &w) }
        if quote { put(34, &w) }
    }

    /// Hour `index` of the period (its length: the start of the next period).
    @inline(__always)
    static func hourStamp(
        _ period: UsageGenHotPeriod, _ index: Int, style: UInt8, quote: Bool, _ w: inout UnsafeMutablePointer<UInt8>
    ) {
        if index >= period.hours {
            stamp(period.nextYear, period.nextMonth, 1, 0, style: style, quote: quote, &w)
        } else {
            stamp(period.year, period.month, index / 24 + 1, index % 24, style: style, quote: quote, &w)
        }
    }

    /// 52 characters of base32, as the legacy CUR's identity/LineItemId.
    static func lineItemID(_ random: inout UsageGenRandom, _ w: inout UnsafeMutablePointer<UInt8>) {
        for _ in 0..<4 {
            var bits = random.next()
            for _ in 0..<13 {
                let symbol = UInt8(truncatingIfNeeded: bits & 31)
                put(symbol < 26 ? 97 + symbol : 24 + symbol, &w)  // a–z, then 2–7
                bits >>= 5
            }
        }
    }

    static func hex(_ value: UInt64, _ digits: Int, _ w: inout UnsafeMutablePointer<UInt8>) {
        // At most 16 digits: the value's own.
        var shift = (min(digits, 16) - 1) * 4
        while shift >= 0 {
            let nibble = UInt8(truncatingIfNeeded: (value >> UInt64(shift)) & 15)
            put(nibble < 10 ? 48 + nibble : 87 + nibble, &w)
            shift -= 4
        }
    }
}

/// A configuration folder read from disk, for --accounts-from.
struct UsageGenDirectoryTree: FileTree {
    let root: String
    var label: String { root }

    func entries() throws(FileTreeError) -> [FileTreeEntry] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue,
            let enumerator = FileManager.default.enumerator(atPath: root)
        else {
            throw FileTreeError(.notFound, path: "", message: "\(root): no such directory")
        }
        var result: [FileTreeEntry] = []
        while let path = enumerator.nextObject() as? String {
            var entryIsDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &entryIsDirectory) else {
                continue
            }
            if entryIsDirectory.boolValue {
                if (path as NSString).lastPathComponent.hasPrefix(".") { enumerator.skipDescendants() }
                continue
            }
            result.append(FileTreeEntry(path: path, kind: .file))
        }
        return result.sorted { $0.path < $1.path }
    }

    func contents(of path: String) throws(FileTreeError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: root + "/" + path) else {
            throw FileTreeError(.unreadable, path: path, message: "\(path) cannot be read")
        }
        return Array(data)
    }
}
