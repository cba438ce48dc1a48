import ProformaCore
import ProformaReport

/// The shared reports every format is rendered from.
enum Fixtures {
    /// The hint that needs escaping in every format: quotes, `<&>`, `%`, `:`, `,`, an apostrophe and a line break.
    static let escapingHint =
        "keep one: \"flat\" for a fixed fee, or \"percentage\" for a share (3% = 3) of the group's <charges> & fees,\nnot both"

    /// A message carrying a control character (ESC) from an imported value.
    static let controlMessage = "email \"ops\u{1B}@example.com\" is not an e-mail address"

    /// A line with precomposed and combining accents and wide characters before the column pointed at.
    /// `Ge\u{301}ne\u{301}rale` has two combining marks, so scalars (what libyaml counts) outnumber characters.
    static let accountsLine6 = "{ kind: Account, name: \"Société Ge\u{301}ne\u{301}rale — 東京\", id: \"12345678901\" }"

    static let sources: [String: String] = [
        "accounts.yaml": """
            kind: Account
            name: shared-services
            id: 012345678901
            email: "ops\\e@example.com"
            ---
            \(accountsLine6)

            """,
        "billing-groups/retail.yaml": """
            kind: BillingGroup
            name: retail
            description: Retail business unit
            primary_account_id: "333333333333"
            account_ids: ["111111111111", "222222222222"]
            pricing_plan:\tstandard-2025

            """,
        "line-items/managed fees.yaml": """
            kind: CustomLineItem
            name: managed-service-fee
            billing_group: retail
            type: FEE
            flat: { charge_value: 50.00 }
            percentage:
              percentage_value: 3

            """,
        "pricing/plans.yaml": """
            kind: PricingPlan
            name: standard
            pricing_rules:
              - global-markup-10
              - ec2-m5-discount
            ---
            kind: PricingPlan
            name: standard-2025
            pricing_rules: [global-markup-10]
            ---
            kind: PricingPlan
            name: premium
            pricing_rules: [global-markup-10]

            """,
        "pricing/rules.yaml": rulesFile,
    ]

    /// 117 lines of rules, then a discount of 120 at line 118, column 22: a three-digit gutter.
    static let rulesFile: String = {
        var lines: [String] = []
        var index = 0
        while lines.count < 100 {
            index += 1
            if index > 1 { lines.append("---") }
            lines += [
                "kind: PricingRule", "name: rule-\(index)", "scope: GLOBAL", "type: MARKUP",
                "modifier_percentage: \(index)",
            ]
        }
        while lines.count < rulesLine - 6 { lines.append("# reserved for tiering rules") }
        lines += ["---", "kind: PricingRule", "name: ec2-m5-discount", "scope: SKU", "type: DISCOUNT"]
        lines += ["modifier_percentage: 120", "service: AmazonEC2"]
        return lines.joined(separator: "\n") + "\n"
    }()

    static let rulesLine = 118

    static let diagnostics: [Diagnostic] = [
        .error(
            .projectFile, "no proforma.yaml at the configuration root", at: nil,
            hint: "run \"proforma init\", or pass -C with the folder that holds proforma.yaml"),
        .warning(
            .numericAccountID, "account ID 012345678901 is an unquoted number",
            at: SourceLocation(path: "accounts.yaml", line: 3, column: 5),
            hint: "quote it: \"012345678901\""),
        .error(.invalidValue, controlMessage, at: SourceLocation(path: "accounts.yaml", line: 4, column: 8)),
        .error(
            .invalidAccountID, "account ID \"12345678901\" has 11 digits, not 12",
            at: SourceLocation(path: "accounts.yaml", line: 6, column: 55),
            hint: "AWS account IDs have exactly 12 digits; check for a dropped leading zero"),
        .error(
            .primaryNotMember, "primary account \"333333333333\" is not among the group's accounts",
            at: SourceLocation(path: "billing-groups/retail.yaml", line: 4, column: 21),
            hint: "add it to account_ids, or make a member the primary account"),
        .error(
            .unknownPricingPlan, "pricing plan \"standard-2025\" does not exist",
            at: SourceLocation(path: "billing-groups/retail.yaml", line: 6, column: 15),
            hint: "define it under pricing/, or name an existing plan: standard, premium"),
        .error(
            .chargeKind, "custom line item \"managed-service-fee\" has both \"flat\" and \"percentage\"",
            at: SourceLocation(path: "line-items/managed fees.yaml", line: 6, column: 1),
            hint: escapingHint),
        .note(
            .skippedEntry, "symbolic link \"pricing/legacy.yaml\" is not followed",
            at: SourceLocation(path: "pricing/legacy.yaml", line: 1, column: 1)),
        .warning(
            .unusedPricingPlan, "pricing plan \"premium\" is used by no billing group",
            at: SourceLocation(path: "pricing/plans.yaml", line: 12, column: 7),
            hint: "name it in a billing group's pricing_plan, or delete it"),
        .error(
            .modifierRange, "a discount of 120% is more than 100%",
            at: SourceLocation(path: "pricing/rules.yaml", line: rulesLine, column: 22),
            hint: "a DISCOUNT takes 0 to 100; to raise a price, use type: MARKUP"),
    ].sorted()

    /// A report with errors, warnings, a note, a problem without location, a revision and a configuration root
    /// below the repository root.
    static let sample = ValidationReport(
        diagnostics: diagnostics, revision: "main (a1b2c3d)", filesChecked: 7, resourcesChecked: 12,
        toolVersion: "0.1.0", root: "billing")

    /// A clean working tree at the repository root.
    static let clean = ValidationReport(
        diagnostics: [], revision: nil, filesChecked: 7, resourcesChecked: 12, toolVersion: "0.1.0", root: nil)

    static var sampleSources: InMemorySources { InMemorySources(sources) }
}
