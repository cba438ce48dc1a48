import ProformaCore
import ProformaLoader
import ProformaModel
import ProformaValidation
import Testing

/// Services written by code or by name, and services the catalogue does not know.
@Suite struct ServiceValidationTests {
    static let group = """
        kind: BillingGroup
        name: retail
        primary_account_id: "111111111111"
        account_ids: ["111111111111"]
        pricing_plan: standard

        """

    static func rules(_ services: [String], scope: String = "SERVICE") -> String {
        let names = services.indices.map { "r\($0)" }
        var text = "kind: PricingPlan\nname: standard\npricing_rules: [\(names.joined(separator: ", "))]\n"
        for (index, service) in services.enumerated() {
            text += """
                ---
                kind: PricingRule
                name: r\(index)
                scope: \(scope)
                type: DISCOUNT
                modifier_percentage: 5
                service: \(service)

                """
            if scope == "SKU" { text += "usage_type: BoxUsage:m5.large\n" }
        }
        return text
    }

    @Test(arguments: ["AmazonEC2", "Amazon Elastic Compute Cloud", "AWS Support (Business)", "awskms"])
    func aKnownCodeOrNameIsClean(service: String) throws {
        let diagnostics = try validate(["groups.yaml": Self.group, "rules.yaml": Self.rules([service])])
        #expect(summary(diagnostics) == [])
    }

    @Test func anUnknownServiceIsAWarningWithTheClosestKnownSpelling() throws {
        let diagnostics = try validate([
            "groups.yaml": Self.group,
            "rules.yaml": Self.rules(["AmazonEC3", "Amazon Elastic Compute Clod", "AmazonQuantumLedger"]),
        ])
        #expect(summary(diagnostics) == ["PF508@rules.yaml:10:10", "PF508@rules.yaml:17:10", "PF508@rules.yaml:24:10"])
        #expect(diagnostics.allSatisfy { $0.severity == .warning })
        #expect(diagnostics[0].message == "service \"AmazonEC3\" is not one proforma knows by code or name")
        #expect(diagnostics[0].hint?.hasPrefix("did you mean \"AmazonEC2\"?") == true)
        #expect(diagnostics[1].hint?.hasPrefix("did you mean \"Amazon Elastic Compute Cloud\"?") == true)
        #expect(diagnostics[2].hint == "a service proforma does not know matches the usage data only as written")
    }

    @Test func skuRulesAreCheckedToo() throws {
        let diagnostics = try validate([
            "groups.yaml": Self.group, "rules.yaml": Self.rules(["AmazonEC3"], scope: "SKU"),
        ])
        #expect(summary(diagnostics) == ["PF508@rules.yaml:10:10"])
    }

    @Test func aCodeAndANameOfOneServiceAreTheSameTarget() throws {
        let same = try validate([
            "groups.yaml": Self.group, "rules.yaml": Self.rules(["AmazonEC2", "Amazon Elastic Compute Cloud"]),
        ])
        #expect(summary(same) == ["PF504@rules.yaml:3:21"])
        let different = try validate([
            "groups.yaml": Self.group, "rules.yaml": Self.rules(["AmazonEC2", "Amazon Simple Storage Service"]),
        ])
        #expect(summary(different) == [])
    }

    @Test(arguments: ["Amazon EC2!", " AmazonEC2", "*", "(EC2)"])
    func aServiceThatIsNeitherACodeNorANameIsAnError(service: String) throws {
        let diagnostics = try validate([
            "groups.yaml": Self.group, "rules.yaml": Self.rules(["\"\(service)\""]),
        ])
        // The value is refused, so the rule also lacks its service.
        #expect(summary(diagnostics) == ["PF500@rules.yaml:7:8", "PF206@rules.yaml:10:10"])
    }

    static func filterItem(_ value: String) -> String {
        """
        kind: CustomLineItem
        name: fee
        description: a fee on some services
        billing_group: retail
        type: FEE
        percentage: { percentage_value: 3, associated_values: [retail] }
        line_item_filters: [{ attribute: SERVICE, match_option: EQUAL, values: ["\(value)"] }]

        """
    }

    @Test func filtersTakeCodesAndNames() throws {
        for value in ["AmazonEC2", "Amazon Elastic Compute Cloud"] {
            let diagnostics = try validate([
                "groups.yaml": Self.group, "rules.yaml": Self.rules(["AmazonS3"]), "items.yaml": Self.filterItem(value),
            ])
            #expect(summary(diagnostics) == [], "\(value)")
        }
        let unknown = try validate([
            "groups.yaml": Self.group, "rules.yaml": Self.rules(["AmazonS3"]),
            "items.yaml": Self.filterItem("AmazonEC3"),
        ])
        #expect(summary(unknown) == ["PF508@items.yaml:7:73"])
        let malformed = try validate([
            "groups.yaml": Self.group, "rules.yaml": Self.rules(["AmazonS3"]), "items.yaml": Self.filterItem("EC2*"),
        ])
        #expect(summary(malformed) == ["PF604@items.yaml:7:73"])
        #expect(malformed.first?.message == "\"EC2*\" is not a service code or name")
    }
}

@Suite struct ServiceCatalogueTests {
    @Test func everySpellingStandsForOneService() {
        var seen: [String: String] = [:]
        for service in AWSServiceCatalogue.services {
            for spelling in service.spellings {
                #expect(seen[spelling] == nil, "\(spelling) names \(seen[spelling] ?? "") and \(service.code)")
                seen[spelling] = service.code
                #expect(AWSServiceCatalogue.code(spelling) == service.code)
                #expect(AWSServiceCatalogue.spellings(spelling) == service.spellings)
                #expect(AWSServiceCatalogue.isWellFormed(spelling), "\(spelling)")
            }
        }
        #expect(AWSServiceCatalogue.allSpellings == seen.keys.sorted())
        #expect(AWSServiceCatalogue.service("Amazon Elastic Compute Cloud")?.code == "AmazonEC2")
        #expect(AWSServiceCatalogue.service("AmazonEC2")?.name == "Amazon Elastic Compute Cloud")
        // Unknown text stands for itself; spellings are exact.
        #expect(AWSServiceCatalogue.code("AmazonNewThing") == "AmazonNewThing")
        #expect(AWSServiceCatalogue.spellings("amazonec2") == ["amazonec2"])
        #expect(AWSServiceCatalogue.service("amazonec2") == nil)
    }

    @Test func wellFormedServices() {
        for good in ["AmazonEC2", "Amazon Elastic Compute Cloud", "AWS Support (Enterprise On-Ramp)", "a", "1st"] {
            #expect(AWSServiceCatalogue.isWellFormed(good), "\(good)")
        }
        let bad = ["", " AmazonEC2", "(EC2)", "EC2*", "Amazon\tEC2", "Amazon EC2!", "é"]
        for bad in bad + [String(repeating: "a", count: 129)] {
            #expect(!AWSServiceCatalogue.isWellFormed(bad), "\(bad)")
        }
    }
}
