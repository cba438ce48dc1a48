/// An example that raises a diagnostic code.
public enum DiagnosticExample: Sendable, Hashable {
    /// A file that raises the code in a configuration whose `proforma.yaml` is a bare Project (payer
    /// 999999999999): its path in the configuration and its text. A file at `proforma.yaml` is the project file
    /// itself.
    case file(path: String, text: String)
    /// The code cannot be raised by the text of one file; what raises it instead.
    case notOneFile(String)
}

/// What `proforma explain CODE` prints beyond the code's summary: a paragraph and an example.
extension DiagnosticCode {
    /// What the code means, why it matters and how to fix it, in one paragraph.
    public var explanation: String {
        switch self {
        case .yamlSyntax:
            "The file cannot be read as YAML, so none of its documents are loaded. The usual causes are an unquoted value holding `: ` or ` #`, a missing closing bracket or quote, or indentation that does not line up. The position is where the YAML reader gave up, which may be just after the real mistake: look at the line above too. Quote the value or fix the structure."
        case .invalidUTF8:
            "Configuration files are UTF-8 text. A file saved in another encoding (Latin-1, Windows-1252, UTF-16) has bytes that are not UTF-8, and its text would be read wrongly, so the file is refused. Save the file as UTF-8 in your editor, or convert it with `iconv -f LATIN1 -t UTF-8`."
        case .tabIndentation:
            "YAML indents with spaces only; a tab in indentation is read differently by different tools (or refused), so the structure of the file would depend on who reads it. Replace the tab with spaces (your editor's \"indent using spaces\")."
        case .duplicateKey:
            "A mapping gives the same key twice. YAML tools disagree about which value wins (proforma keeps the first, others the last), so the configuration would mean different things to different readers. Remove one of the two."
        case .yamlLimit:
            "A file exceeds a safety limit: more than 16 MiB, nesting deeper than the reader allows, or aliases that expand to more than 100,000 nodes (a \"billion laughs\" file). These limits keep a hostile or broken file from exhausting memory or time in CI. No real configuration comes near them: split a huge file, or write values out instead of repeating aliases."
        case .emptyFile:
            "A YAML file below the configuration root holds no document (only comments or nothing), so it adds nothing. It is a warning because it is often a file left behind or emptied by mistake. Delete it, or add its resources, or exclude it with the project's `exclude` globs."
        case .unreadableFile:
            "A file of the configuration is listed but cannot be read (permissions, an I/O error, an object missing from git), so the configuration is incomplete and is not used. Fix the file's permissions or restore it; in git, check that the commit is complete (`git fsck`)."
        case .lfsPointer:
            "A Git LFS pointer (three lines starting with `version https://git-lfs.github.com/spec/v1`) stands where a YAML file is expected: the real file is in LFS storage and was not fetched, or `.gitattributes` puts YAML files in LFS. Keep configuration files out of LFS (they are small text, diffed and reviewed), or run `git lfs pull`."
        case .skippedEntry:
            "A symbolic link or a submodule in the configuration is not followed: following links could read files outside the repository, and a submodule is another repository. It is a note, since nothing is wrong with the rest. Put the file itself in the configuration, or ignore the entry."
        case .unsupportedYAML:
            "The file uses a YAML feature that configuration files do not need and that tools read differently: tags (`!!float`, custom `!tags`), merge keys (`<<`), or complex keys (a list or mapping as a key). Write the value plainly, each key a single name."
        case .notAMapping:
            "Every document of a configuration file is one resource: a mapping with `kind`, `name` and its fields. A document that is a list (several resources written as `- kind: …`) or a plain value cannot be read as a resource. Write each resource as a document of its own, separated by `---`."
        case .missingKind:
            "A document has no `kind`, so proforma cannot tell what it is. Add `kind:` with one of Project, Account, BillingGroup, PricingPlan, PricingRule or CustomLineItem."
        case .unknownKind:
            "A document's `kind` is not one proforma knows; kinds are case-sensitive. Use one of Project, Account, BillingGroup, PricingPlan, PricingRule or CustomLineItem (the hint suggests the closest)."
        case .unknownField:
            "A field is not part of its kind, usually a misspelt name. It is an error rather than ignored because a misspelt field (`desciption`, `modifer_percentage`) would silently not do what was meant. Correct the name (the hint suggests the closest); `proforma schema` lists every field."
        case .missingField:
            "A field the kind requires is missing, so the resource cannot be priced or applied. Add it; the schemas in `schemas/` and your editor's completion list the required fields."
        case .wrongType:
            "A value has the wrong type for its field: text where a number is expected, a list where a mapping is, or a number in quotes (`\"50.00\"`). Amounts are read as exact decimals from the YAML text, so they are written as plain numbers; account IDs and names are text."
        case .invalidValue:
            "A value is not one the field allows: enumerations such as `scope`, `type`, `computation_rule` or `rounding` take exactly the values listed in the schema, in upper case where ABC writes them so. Use one of the values the message lists."
        case .invalidDecimal:
            "A number cannot be read as an exact decimal: it has a thousands separator, too many digits (at most 34 significant), an exponent, or is not a number at all. Money is never read through binary floating point, so write it plainly, such as `1250.00`."
        case .invalidPeriod:
            "A billing period is a month written `YYYY-MM` (`YYYY-M` is accepted). A date such as `2026-10-01` or a month name is not a period. Write the month only."
        case .invalidName:
            "Names follow AWS Billing Conductor's rules: 1 to 128 characters of letters, digits and `_+=.@-`, no spaces. Names are how resources refer to each other and, for billing groups, the invoices' file names. Use a name such as `managed-service-fee`; put free text in `description`."
        case .invalidAccountID:
            "An AWS account ID is exactly 12 digits. An unquoted ID with a leading zero may have lost it on the way (some tools read it as a number), leaving 11 digits. Quote account IDs and write all 12 digits."
        case .numericAccountID:
            "An account ID is written as an unquoted number. proforma reads it as written, leading zeros included, but other YAML tools read a number and drop them, so the same file means different accounts to different tools. Quote it: `\"012345678901\"`."
        case .tooLong:
            "A text is longer than its field allows (AWS Billing Conductor's limits: a description 255 characters, a name 128). The limit would refuse it on apply in AWS too. Shorten it."
        case .projectFile:
            "`proforma.yaml` marks the configuration root and holds the Project, and only it: a missing or misplaced Project, a second document in `proforma.yaml`, or a Project in another file is an error, since settings such as the payer account and rounding must come from one place. Keep one Project in `proforma.yaml` and every other resource in files of their own."
        case .unsupportedVersion:
            "The project file's `version` is the format of the configuration; this proforma reads version 1 only. A higher version was written for a newer proforma: upgrade proforma, or write `version: 1`."
        case .otherYAMLReading:
            "An unquoted value is text to proforma (YAML 1.2) but a boolean or a different number to tools that read YAML 1.1 (`no`, `on`, `y`, `012`, `1:20`, `0x1F`, `1e3`). A script or editor plugin could then change the value without anyone noticing. Quote it."
        case .guardrailsWithoutUsage:
            "The project has guardrails, which `plan` checks against the invoice impact of a change, but lists no usage data under `usage:`, so a plan without `--usage` cannot evaluate them and only warns. List the usage files under `usage:`, or pass `--usage` to `plan` in CI."
        case .duplicateName:
            "Two resources of one kind have the same name. Names are how resources refer to each other, so a reference would be ambiguous. Rename one; names need only be unique within a kind."
        case .unknownPricingPlan:
            "A billing group names a pricing plan that does not exist, so its accounts could not be priced. Correct the name (the hint suggests the closest) or add the plan. A group always needs a plan."
        case .unknownPricingRule:
            "A pricing plan names a pricing rule that does not exist. Correct the name (the hint suggests the closest) or add the rule."
        case .unknownBillingGroup:
            "A custom line item, or one of its associated values, names a billing group that does not exist, so the charge would be billed to nobody. Correct the name or add the group."
        case .unknownAccount:
            "An account ID (a group's member or primary account, a custom line item's `account_id`) is not among the declared Account resources (checked once the configuration declares any). Declaring every account keeps a typo in an ID from sending costs to a stranger's account. Declare the account, or correct the ID."
        case .unknownAssociatedValue:
            "A percentage custom line item's `associated_values` names neither a billing group nor a custom line item, so its base would be missing a part. Correct the name."
        case .percentageOfPercentage:
            "A percentage custom line item is computed on another percentage custom line item. AWS Billing Conductor does not allow it, and it would make the result depend on the order of computation. Compute both on the group and the flat items."
        case .foreignAssociatedValue:
            "A percentage custom line item is computed on a billing group, or on another group's custom line item, that is not its own group: a customer would be charged on another customer's costs. Name only the item's own group and its items."
        case .duplicateListEntry:
            "A list that is a set (account IDs, a plan's rules, associated values, filter values) names the same value twice. It changes nothing, so it is most likely a typo for another value. Remove the repetition or correct it."
        case .reservedFileName:
            "A billing group's name becomes its invoices' file name (`invoices/PERIOD/NAME.EXT`), so a name starting with a dot would be a hidden file, or `.`/`..` a folder. Rename the group."
        case .namesDifferInCase:
            "Two billing groups' names differ only in case (`retail`, `Retail`). Their invoice files would be one file on macOS and Windows, whose file systems ignore case, so one invoice would overwrite the other. Rename one of them."
        case .accountInTwoGroups:
            "An account is a member of two billing groups. As in AWS Billing Conductor, an account belongs to one group at most, or its costs would be billed twice. Remove it from one of them."
        case .primaryNotMember:
            "A billing group's `primary_account_id` is not among its `account_ids`. The primary account is the one the group's invoice is addressed to and the default account charged by its custom line items, so it must be a member. Add it to `account_ids`, or make a member the primary account."
        case .primaryIsPayer:
            "A billing group's primary account is the payer (management) account. In AWS Billing Conductor the payer account cannot be in a billing group: its costs are what you re-bill from. Choose a member account as primary."
        case .multipleAutoAssociate:
            "More than one billing group has `auto_associate: true`. The auto-associating group takes every declared account no other group has, so with two it would be unclear which takes them. Keep it on one group."
        case .chargedAccountNotMember:
            "A custom line item's `account_id` is not a member of its billing group, so the charge would land on another group's invoice. Charge a member, or leave `account_id` out to charge the primary account."
        case .unusedPricingPlan:
            "A pricing plan is used by no billing group, so it prices nothing. It is a warning because it is often a plan left behind after a group moved to another. Delete it, or assign it to a group."
        case .scopeQualifier:
            "A pricing rule's qualifiers do not fit its scope: a GLOBAL rule takes none, a SERVICE rule needs `service`, a BILLING_ENTITY rule needs `billing_entity`, a SKU rule needs `service` and `usage_type` or `operation`. A stray qualifier would suggest the rule applies more narrowly than it does. Remove it, or change the scope."
        case .typeNotAllowed:
            "The rule's type is not allowed for its scope in AWS Billing Conductor: TIERING applies to GLOBAL (the free tier) and SKU rules only. Use MARKUP or DISCOUNT, or change the scope."
        case .modifierPrecision:
            "A modifier percentage has more than 2 decimal places; AWS Billing Conductor takes at most 2, so it would be refused there. Round it to 2 places."
        case .modifierRange:
            "A modifier percentage is negative, or a DISCOUNT is above 100 % (which would make prices negative). A discount is written as a DISCOUNT rule with a positive percentage, not as a negative MARKUP."
        case .duplicateRuleTarget:
            "Two price-modifying rules of one plan have the same target (two GLOBAL markups, two SERVICE rules on the same service). Only one rule prices a line, so which one would be arbitrary. Keep one per target."
        case .ambiguousSKURules:
            "Two SKU rules of one plan could both match the same line with equal precedence, such as one by usage type only and one by operation only on the same service. The price would depend on which one wins. Give one of them both `usage_type` and `operation`, so the more specific rule wins."
        case .invalidTiers:
            "A TIERING rule's custom tiers are malformed: they must start at 0, run upwards without gaps or overlaps, each tier beginning where the one before ends, with only the last one open-ended. Otherwise some quantity would have no price or two. Fix the bounds."
        case .unusedPricingRule:
            "A pricing rule is in no pricing plan, so it prices nothing. It is a warning because it is often a rule left behind or not yet added to its plan. Add it to a plan, or delete it."
        case .unknownService:
            "A rule or a SERVICE filter names a service that proforma does not know by code (`AmazonEC2`) or by name (`Amazon Elastic Compute Cloud`). It still matches lines that write the service exactly so, but a typo would match nothing: a warning, with the closest known service as a hint. `--strict` makes it fail in CI."
        case .chargeKind:
            "A custom line item is either a flat amount or a percentage of a base: exactly one of `flat` and `percentage`. Keep one (two charges are two custom line items)."
        case .chargeRange:
            "A custom line item's charge is out of range: a flat charge must be positive with at most 10 decimals, a percentage between 0 and 10,000 with at most 4. A credit is written as `type: CREDIT` with a positive amount, not as a negative FEE."
        case .periodOrder:
            "A billing period range ends before (or where) it starts, so the item would never apply. `exclusive_end` is the first month it no longer applies: make it later than `inclusive_start`."
        case .noAssociatedValues:
            "A percentage custom line item has no `associated_values`, so its base is empty and it amounts to 0. Name the billing group (and any flat items) it is a percentage of."
        case .invalidFilter:
            "A custom line item's filter is malformed: values must be service codes or names (no wildcards), and a LINE_ITEM_TYPE filter may only be `NOT_EQUAL SAVINGS_PLAN_NEGATION`. A filter that matches nothing would silently change the base. Write the filter as the message says."
        case .quotaExceeded:
            "A quota of AWS Billing Conductor is exceeded (accounts per group, rules per plan, ITEMIZED or filtered custom line items per group, associated values per item). The configuration could not be applied in AWS, so proforma refuses it too. Merge resources, or split the group."
        case .invalidInvoiceNumber:
            "The issuer's `invoice_number` pattern cannot number invoices: it names an unknown placeholder, holds a character other than letters, digits and `-_./#`, or does not tell groups apart (`{group}`, `{hash}` or `{seq}`) or periods apart (`{period}`, `{yyyy}` with `{mm}`, or `{hash}`). Two invoices with the same number are a bookkeeping error, so the pattern is refused. Add the missing placeholder, e.g. `INV-{yyyy}{mm}-{group}`."
        case .invalidLogo:
            "The issuer's `logo` cannot be embedded in invoices: the file does not exist in the configuration, lies outside its root, is a symbolic link, is larger than 1 MiB, or is not a PNG, JPEG, GIF, WebP or SVG image. Invoices embed the logo so that the page fetches nothing; a missing one would print a broken image. Commit the image below the configuration root and name it relative to it."
        case .unknownParentGroup:
            "A billing group or parent group names as its `parent` a parent group that does not exist, so it would roll up nowhere and the parent's consolidated invoice would miss it. Usually a typo: fix the name, or add the `ParentGroup`."
        case .unknownAllocationTarget:
            "A cost allocation names a target (or a source group) that is neither a billing group nor a parent group, so part of the pool would have nowhere to go. Fix the name, or add the group; a parent group as target means every billing group below it."
        case .parentNamedLikeGroup:
            "A parent group has the name of a billing group. `invoice --group NAME` and the reports could not tell which one is meant. Rename one of them."
        case .hierarchyCycle:
            "Parent groups form a cycle, so a group would roll up to itself and its consolidated invoice would never end. The message names the cycle; remove one of its `parent` links so the hierarchy is a tree."
        case .allocationSourceIsTarget:
            "A cost allocation charges its pool to a billing group whose own lines are (part of) the source, directly or through a parent target: the group would pay a share of costs just taken from it, and FOCUS's rule that allocated charges add up to the original charge would be broken in spirit. Remove the group from the targets (name its siblings instead of the parent), or take it out of the source."
        case .allocationPercentages:
            "A `fixed` cost allocation's `percentages` must name each target once and add up to exactly 100, so that the shares add up to the pool. Fix the percentages; to leave part of the pool unallocated, allocate it to a group that keeps it."
        case .allocationEmptySource:
            "A cost allocation has neither a source filter nor a `fixed_amount`, or one of its filter fields is an empty list, so it would share nothing (or, worse, everything). Give `source` at least one non-empty field (`services`, `account_ids`, `billing_groups`, `line_item_types`, `billing_entities`), or a `fixed_amount`."
        case .allocationMethodFields:
            "A cost allocation has fields that do not fit its method: `percentages` belong to `fixed`, `basis`, `basis_filter` and `percentage_of_basis` to `proportional`, and `targets` to `even` and `proportional`. A field that is ignored would mislead the reader. Remove the field, or change the method as the hint says."
        case .accountInNoGroup:
            "An account that the imported organization lists as ACTIVE is in no billing group, so its usage lands among the unassigned lines and is billed to nobody. It is a warning because a new account often joins before it is assigned. Add it to a group (`account_ids` or an `account_selector`), or mark it `unassigned: true` in `accounts.yaml` if it is billed to nobody on purpose."
        case .memberLeftOrganization:
            "A billing group's member is SUSPENDED, PENDING_CLOSURE or CLOSED in the imported organization, or the organization no longer lists it. It is a warning, not an error, because its last periods still have to be billed; remove it from the group once they are."
        case .selectorSelectsNothing:
            "A billing group's `account_selector` matches no account of `accounts.yaml`: its OU path or tags are spelled differently from what the import recorded (OU paths are OU names from the root, such as `/Customers/Acme`). The group would silently lose its members. Copy the path or tag from `accounts.yaml`."
        }
    }

    /// A short example that raises the code, or why one file cannot.
    public var example: DiagnosticExample {
        switch self {
        case .yamlSyntax:
            .file(
                path: "line-items/fees.yaml",
                text: """
                    kind: CustomLineItem
                    name: managed-service-fee
                    description: Fee: managed services
                    billing_group: retail
                    type: FEE
                    flat: { charge_value: 50.00 }

                    """)
        case .invalidUTF8:
            .notOneFile(
                "a file saved in Latin-1 or another encoding, which embedded text cannot hold: see examples/invalid/PF101-invalid-utf8"
            )
        case .tabIndentation:
            .file(
                path: "line-items/fees.yaml",
                text: """
                    kind: CustomLineItem
                    name: managed-service-fee
                    billing_group: retail
                    type: FEE
                    flat:
                    \tcharge_value: 50.00

                    """)
        case .duplicateKey:
            .file(
                path: "line-items/fees.yaml",
                text: """
                    kind: CustomLineItem
                    name: managed-service-fee
                    billing_group: retail
                    type: FEE
                    type: CREDIT
                    flat: { charge_value: 50.00 }

                    """)
        case .yamlLimit:
            .file(
                path: "laughs.yaml",
                text: """
                    a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]
                    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
                    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
                    d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
                    e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
                    f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]

                    """)
        case .emptyFile:
            .file(path: "drafts.yaml", text: "# nothing here yet\n")
        case .unreadableFile:
            .notOneFile("a file the tree lists but cannot read (no read permission, or an object missing from git)")
        case .lfsPointer:
            .file(
                path: "line-items/fees.yaml",
                text: """
                    version https://git-lfs.github.com/spec/v1
                    oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393
                    size 1184

                    """)
        case .skippedEntry:
            .notOneFile("a symbolic link or a submodule in the configuration: see examples/invalid/PF108-skipped-entry")
        case .unsupportedYAML:
            .file(
                path: "line-items/fees.yaml",
                text: """
                    kind: CustomLineItem
                    name: managed-service-fee
                    billing_group: retail
                    type: FEE
                    flat: { charge_value: 50.00 }
                    ? [presentation_details, description]
                    : Managed services

                    """)
        case .notAMapping:
            .file(
                path: "line-items/fees.yaml",
                text: """
                    - kind: CustomLineItem
                      name: managed-service-fee
                      billing_group: retail
                      type: FEE
                      flat: { charge_value: 50.00 }

                    """)
        case .missingKind:
            .file(
                path: "line-items/fees.yaml",
                text: """
                    name: managed-service-fee
                    billing_group: retail
                    type: FEE
                    flat: { charge_value: 50.00 }

                    """)
        case .unknownKind:
            .file(
                path: "line-items/fees.yaml",
                text: """
                    kind: CustomLineitem
                    name: managed-service-fee
                    billing_group: retail
                    type: FEE
                    flat: { charge_value: 50.00 }

                    """)
        case .unknownField:
            .file(
                path: "line-items/fees.yaml",
                text: """
                    kind: CustomLineItem
                    name: managed-service-fee
                    desciption: Managed service fee
                    billing_group: retail
                    type: FEE
                    flat: { charge_value: 50.00 }

                    """)
        case .missingField:
            .file(
                path: "line-items/fees.yaml",
                text: """
                    kind: CustomLineItem
                    name: managed-service-fee
                    billing_group: retail
                    flat: { charge_value: 50.00 }

                    """)
        case .wrongType:
            .file(
                path: "line-items/fees.yaml",
                text: """
                    kind: CustomLineItem
                    name: managed-service-fee
                    billing_group: retail
                    type: FEE
                    flat: { charge_value: "50.00" }

                    """)
        case .invalidValue:
            .file(
                path: "pricing/markup.yaml",
                text: """
                    kind: PricingRule
                    name: global-markup
                    scope: GLOBAL
                    type: markup
                    modifier_percentage: 10

                    """)
        case .invalidDecimal:
            .file(
                path: "line-items/fees.yaml",
                text: """
                    kind: CustomLineItem
                    name: managed-service-fee
                    billing_group: retail
                    type: FEE
                    flat:
                      charge_value: 1,250.00

                    """)
        case .invalidPeriod:
            .file(
                path: "line-items/fees.yaml",
                text: """
                    kind: CustomLineItem
                    name: managed-service-fee
                    billing_group: retail
                    type: FEE
                    flat: { charge_value: 50.00 }
                    billing_period_range: { inclusive_start: 2026-10-01 }

                    """)
        case .invalidName:
            .file(
                path: "line-items/fees.yaml",
                text: """
                    kind: CustomLineItem
                    name: Managed service fee
                    billing_group: retail
                    type: FEE
                    flat: { charge_value: 50.00 }

                    """)
        case .invalidAccountID:
            .file(
                path: "accounts.yaml",
                text: """
                    kind: Account
                    name: retail-prod
                    account_id: 12345678901

                    """)
        case .numericAccountID:
            .file(
                path: "accounts.yaml",
                text: """
                    kind: Account
                    name: retail-prod
                    account_id: 123456789012

                    """)
        case .tooLong:
            .file(
                path: "line-items/fees.yaml",
                text: """
                    kind: CustomLineItem
                    name: managed-service-fee
                    description: \(String(repeating: "Managed services. ", count: 15))
                    billing_group: retail
                    type: FEE
                    flat: { charge_value: 50.00 }

                    """)
        case .projectFile:
            .file(
                path: "proforma.yaml",
                text: """
                    kind: Project
                    name: acme
                    version: 1
                    payer_account_id: "999999999999"
                    ---
                    kind: Account
                    name: retail-prod
                    account_id: "111111111111"

                    """)
        case .unsupportedVersion:
            .file(
                path: "proforma.yaml",
                text: """
                    kind: Project
                    name: acme
                    version: 2
                    payer_account_id: "999999999999"

                    """)
        case .otherYAMLReading:
            .file(
                path: "accounts.yaml",
                text: """
                    kind: Account
                    name: retail-prod
                    account_id: "111111111111"
                    email: no

                    """)
        case .guardrailsWithoutUsage:
            .file(
                path: "proforma.yaml",
                text: """
                    kind: Project
                    name: acme
                    version: 1
                    payer_account_id: "999999999999"
                    guardrails:
                      - name: invoice-increase
                        max_increase_percentage: 10

                    """)
        case .duplicateName:
            .file(
                path: "accounts.yaml",
                text: """
                    kind: Account
                    name: retail-prod
                    account_id: "111111111111"
                    ---
                    kind: Account
                    name: retail-prod
                    account_id: "222222222222"

                    """)
        case .unknownPricingPlan:
            .file(
                path: "billing-groups/retail.yaml",
                text: """
                    kind: BillingGroup
                    name: retail
                    primary_account_id: "111111111111"
                    account_ids: ["111111111111"]
                    pricing_plan: standrd

                    """)
        case .unknownPricingRule:
            .file(
                path: "pricing/standard.yaml",
                text: """
                    kind: PricingPlan
                    name: standard
                    pricing_rules: [global-markup]

                    """)
        case .unknownBillingGroup:
            .file(
                path: "line-items/fees.yaml",
                text: """
                    kind: CustomLineItem
                    name: managed-service-fee
                    billing_group: retail
                    type: FEE
                    flat: { charge_value: 50.00 }

                    """)
        case .unknownAccount:
            .file(
                path: "billing-groups/retail.yaml",
                text: """
                    kind: Account
                    name: retail-prod
                    account_id: "111111111111"
                    ---
                    kind: BillingGroup
                    name: retail
                    primary_account_id: "111111111111"
                    account_ids: ["111111111111", "222222222222"]
                    pricing_plan: standard

                    """)
        case .unknownAssociatedValue:
            .file(
                path: "line-items/fees.yaml",
                text: """
                    kind: CustomLineItem
                    name: support-fee
                    billing_group: retail
                    type: FEE
                    percentage: { percentage_value: 3, associated_values: [retail, managed-services-fee] }

                    """)
        case .percentageOfPercentage:
            .file(
                path: "line-items/fees.yaml",
                text: """
                    kind: CustomLineItem
                    name: support-fee
                    billing_group: retail
                    type: FEE
                    percentage: { percentage_value: 3, associated_values: [retail] }
                    ---
                    kind: CustomLineItem
                    name: support-surcharge
                    billing_group: retail
                    type: FEE
                    percentage: { percentage_value: 10, associated_values: [support-fee] }

                    """)
        case .foreignAssociatedValue:
            .file(
                path: "billing-groups/groups.yaml",
                text: """
                    kind: BillingGroup
                    name: retail
                    primary_account_id: "111111111111"
                    account_ids: ["111111111111"]
                    pricing_plan: standard
                    ---
                    kind: BillingGroup
                    name: wholesale
                    primary_account_id: "222222222222"
                    account_ids: ["222222222222"]
                    pricing_plan: standard
                    ---
                    kind: CustomLineItem
                    name: support-fee
                    billing_group: retail
                    type: FEE
                    percentage: { percentage_value: 3, associated_values: [wholesale] }

                    """)
        case .duplicateListEntry:
            .file(
                path: "billing-groups/retail.yaml",
                text: """
                    kind: BillingGroup
                    name: retail
                    primary_account_id: "111111111111"
                    account_ids: ["111111111111", "111111111111"]
                    pricing_plan: standard

                    """)
        case .reservedFileName:
            .file(
                path: "billing-groups/retail.yaml",
                text: """
                    kind: BillingGroup
                    name: .retail
                    primary_account_id: "111111111111"
                    account_ids: ["111111111111"]
                    pricing_plan: standard

                    """)
        case .namesDifferInCase:
            .file(
                path: "billing-groups/retail.yaml",
                text: """
                    kind: BillingGroup
                    name: retail
                    primary_account_id: "111111111111"
                    account_ids: ["111111111111"]
                    pricing_plan: standard
                    ---
                    kind: BillingGroup
                    name: Retail
                    primary_account_id: "222222222222"
                    account_ids: ["222222222222"]
                    pricing_plan: standard

                    """)
        case .accountInTwoGroups:
            .file(
                path: "billing-groups/groups.yaml",
                text: """
                    kind: BillingGroup
                    name: retail
                    primary_account_id: "111111111111"
                    account_ids: ["111111111111", "222222222222"]
                    pricing_plan: standard
                    ---
                    kind: BillingGroup
                    name: wholesale
                    primary_account_id: "333333333333"
                    account_ids: ["333333333333", "222222222222"]
                    pricing_plan: standard

                    """)
        case .primaryNotMember:
            .file(
                path: "billing-groups/retail.yaml",
                text: """
                    kind: BillingGroup
                    name: retail
                    primary_account_id: "333333333333"
                    account_ids: ["111111111111", "222222222222"]
                    pricing_plan: standard

                    """)
        case .primaryIsPayer:
            .file(
                path: "billing-groups/retail.yaml",
                text: """
                    kind: BillingGroup
                    name: retail
                    primary_account_id: "999999999999"
                    account_ids: ["999999999999"]
                    pricing_plan: standard

                    """)
        case .multipleAutoAssociate:
            .file(
                path: "billing-groups/groups.yaml",
                text: """
                    kind: BillingGroup
                    name: retail
                    primary_account_id: "111111111111"
                    account_ids: ["111111111111"]
                    pricing_plan: standard
                    auto_associate: true
                    ---
                    kind: BillingGroup
                    name: wholesale
                    primary_account_id: "222222222222"
                    account_ids: ["222222222222"]
                    pricing_plan: standard
                    auto_associate: true

                    """)
        case .chargedAccountNotMember:
            .file(
                path: "billing-groups/retail.yaml",
                text: """
                    kind: BillingGroup
                    name: retail
                    primary_account_id: "111111111111"
                    account_ids: ["111111111111"]
                    pricing_plan: standard
                    ---
                    kind: CustomLineItem
                    name: managed-service-fee
                    billing_group: retail
                    account_id: "222222222222"
                    type: FEE
                    flat: { charge_value: 50.00 }

                    """)
        case .unusedPricingPlan:
            .file(
                path: "pricing/spare.yaml",
                text: """
                    kind: PricingPlan
                    name: spare
                    pricing_rules: []

                    """)
        case .scopeQualifier:
            .file(
                path: "pricing/markup.yaml",
                text: """
                    kind: PricingRule
                    name: global-markup
                    scope: GLOBAL
                    type: MARKUP
                    service: AmazonEC2
                    modifier_percentage: 10

                    """)
        case .typeNotAllowed:
            .file(
                path: "pricing/tiers.yaml",
                text: """
                    kind: PricingRule
                    name: marketplace-tiers
                    scope: BILLING_ENTITY
                    type: TIERING
                    billing_entity: AWS Marketplace
                    tiering: { free_tier: { activated: false } }

                    """)
        case .modifierPrecision:
            .file(
                path: "pricing/markup.yaml",
                text: """
                    kind: PricingRule
                    name: global-markup
                    scope: GLOBAL
                    type: MARKUP
                    modifier_percentage: 7.125

                    """)
        case .modifierRange:
            .file(
                path: "pricing/discount.yaml",
                text: """
                    kind: PricingRule
                    name: global-discount
                    scope: GLOBAL
                    type: MARKUP
                    modifier_percentage: -5

                    """)
        case .duplicateRuleTarget:
            .file(
                path: "pricing/standard.yaml",
                text: """
                    kind: PricingPlan
                    name: standard
                    pricing_rules: [markup-10, markup-12]
                    ---
                    kind: PricingRule
                    name: markup-10
                    scope: GLOBAL
                    type: MARKUP
                    modifier_percentage: 10
                    ---
                    kind: PricingRule
                    name: markup-12
                    scope: GLOBAL
                    type: MARKUP
                    modifier_percentage: 12

                    """)
        case .ambiguousSKURules:
            .file(
                path: "pricing/standard.yaml",
                text: """
                    kind: PricingPlan
                    name: standard
                    pricing_rules: [m5-large-discount, run-instances-markup]
                    ---
                    kind: PricingRule
                    name: m5-large-discount
                    scope: SKU
                    type: DISCOUNT
                    service: AmazonEC2
                    usage_type: USW2-BoxUsage:m5.large
                    modifier_percentage: 5
                    ---
                    kind: PricingRule
                    name: run-instances-markup
                    scope: SKU
                    type: MARKUP
                    service: AmazonEC2
                    operation: RunInstances
                    modifier_percentage: 15

                    """)
        case .invalidTiers:
            .file(
                path: "pricing/tiers.yaml",
                text: """
                    kind: PricingRule
                    name: s3-storage-tiers
                    scope: SKU
                    type: TIERING
                    service: AmazonS3
                    usage_type: USW2-TimedStorage-ByteHrs
                    tiering:
                      tiers:
                        - { begin: 0, end: 51200, rate_value: 0.023 }
                        - { begin: 512000, rate_value: 0.021 }

                    """)
        case .unusedPricingRule:
            .file(
                path: "pricing/spare.yaml",
                text: """
                    kind: PricingRule
                    name: spare-markup
                    scope: GLOBAL
                    type: MARKUP
                    modifier_percentage: 10

                    """)
        case .unknownService:
            .file(
                path: "pricing/ec2.yaml",
                text: """
                    kind: PricingRule
                    name: ec2-discount
                    scope: SERVICE
                    type: DISCOUNT
                    service: AmazonEC3
                    modifier_percentage: 5

                    """)
        case .chargeKind:
            .file(
                path: "line-items/fees.yaml",
                text: """
                    kind: CustomLineItem
                    name: managed-service-fee
                    billing_group: retail
                    type: FEE
                    flat: { charge_value: 50.00 }
                    percentage: { percentage_value: 3, associated_values: [retail] }

                    """)
        case .chargeRange:
            .file(
                path: "line-items/fees.yaml",
                text: """
                    kind: CustomLineItem
                    name: migration-credit
                    billing_group: retail
                    type: FEE
                    flat: { charge_value: -500.00 }

                    """)
        case .periodOrder:
            .file(
                path: "line-items/fees.yaml",
                text: """
                    kind: CustomLineItem
                    name: managed-service-fee
                    billing_group: retail
                    type: FEE
                    flat: { charge_value: 50.00 }
                    billing_period_range: { inclusive_start: 2026-10, exclusive_end: 2026-07 }

                    """)
        case .noAssociatedValues:
            .file(
                path: "line-items/fees.yaml",
                text: """
                    kind: CustomLineItem
                    name: support-fee
                    billing_group: retail
                    type: FEE
                    percentage: { percentage_value: 3 }

                    """)
        case .invalidFilter:
            .file(
                path: "line-items/fees.yaml",
                text: """
                    kind: CustomLineItem
                    name: support-fee
                    billing_group: retail
                    type: FEE
                    percentage: { percentage_value: 3, associated_values: [retail] }
                    line_item_filters: [{ attribute: SERVICE, match_option: NOT_EQUAL, values: ["*EC2*"] }]

                    """)
        case .quotaExceeded:
            .file(
                path: "line-items/itemized.yaml",
                text: (1...6).map {
                    """
                    { kind: CustomLineItem, name: fee-\($0), billing_group: retail, type: FEE, \
                    computation_rule: ITEMIZED, percentage: { percentage_value: 1, associated_values: [retail] } }

                    """
                }.joined(separator: "---\n"))
        case .invalidInvoiceNumber:
            .file(
                path: "proforma.yaml",
                text: """
                    kind: Project
                    name: acme
                    version: 1
                    payer_account_id: "999999999999"
                    issuer:
                      name: Acme Cloud Services Ltd
                      invoice_number: "INV-{yyyy}-{group}"

                    """)
        case .invalidLogo:
            .file(
                path: "proforma.yaml",
                text: """
                    kind: Project
                    name: acme
                    version: 1
                    payer_account_id: "999999999999"
                    issuer:
                      name: Acme Cloud Services Ltd
                      logo: branding/logo.png

                    """)
        case .unknownParentGroup:
            .file(
                path: "billing-groups/groups.yaml",
                text: """
                    \(standardPlan)
                    ---
                    kind: BillingGroup
                    name: retail
                    primary_account_id: "111111111111"
                    account_ids: ["111111111111"]
                    pricing_plan: standard
                    parent: holdings
                    ---
                    kind: ParentGroup
                    name: holding

                    """)
        case .unknownAllocationTarget:
            .file(
                path: "billing-groups/groups.yaml",
                text: """
                    \(standardPlan)
                    ---
                    kind: BillingGroup
                    name: retail
                    primary_account_id: "111111111111"
                    account_ids: ["111111111111"]
                    pricing_plan: standard
                    ---
                    kind: CostAllocation
                    name: support
                    source: { services: [AWSSupportBusiness] }
                    targets: [retail, wholesale]
                    method: even

                    """)
        case .parentNamedLikeGroup:
            .file(
                path: "billing-groups/groups.yaml",
                text: """
                    \(standardPlan)
                    ---
                    kind: BillingGroup
                    name: retail
                    primary_account_id: "111111111111"
                    account_ids: ["111111111111"]
                    pricing_plan: standard
                    ---
                    kind: ParentGroup
                    name: retail

                    """)
        case .hierarchyCycle:
            .file(
                path: "billing-groups/hierarchy.yaml",
                text: """
                    kind: ParentGroup
                    name: europe
                    parent: emea
                    ---
                    kind: ParentGroup
                    name: emea
                    parent: europe

                    """)
        case .allocationSourceIsTarget:
            .file(
                path: "billing-groups/groups.yaml",
                text: """
                    \(standardPlan)
                    ---
                    kind: BillingGroup
                    name: platform
                    primary_account_id: "111111111111"
                    account_ids: ["111111111111"]
                    pricing_plan: standard
                    ---
                    kind: BillingGroup
                    name: retail
                    primary_account_id: "222222222222"
                    account_ids: ["222222222222"]
                    pricing_plan: standard
                    ---
                    kind: CostAllocation
                    name: platform
                    source: { billing_groups: [platform] }
                    targets: [platform, retail]
                    method: even

                    """)
        case .allocationPercentages:
            .file(
                path: "billing-groups/groups.yaml",
                text: """
                    \(standardPlan)
                    ---
                    kind: BillingGroup
                    name: retail
                    primary_account_id: "111111111111"
                    account_ids: ["111111111111"]
                    pricing_plan: standard
                    ---
                    kind: BillingGroup
                    name: wholesale
                    primary_account_id: "222222222222"
                    account_ids: ["222222222222"]
                    pricing_plan: standard
                    ---
                    kind: CostAllocation
                    name: support
                    source: { services: [AWSSupportBusiness] }
                    method: fixed
                    percentages:
                      - { target: retail, percentage: 60 }
                      - { target: wholesale, percentage: 30 }

                    """)
        case .allocationEmptySource:
            .file(
                path: "billing-groups/groups.yaml",
                text: """
                    \(standardPlan)
                    ---
                    kind: BillingGroup
                    name: retail
                    primary_account_id: "111111111111"
                    account_ids: ["111111111111"]
                    pricing_plan: standard
                    ---
                    kind: CostAllocation
                    name: support
                    targets: [retail]
                    method: even

                    """)
        case .allocationMethodFields:
            .file(
                path: "billing-groups/groups.yaml",
                text: """
                    \(standardPlan)
                    ---
                    kind: BillingGroup
                    name: retail
                    primary_account_id: "111111111111"
                    account_ids: ["111111111111"]
                    pricing_plan: standard
                    ---
                    kind: CostAllocation
                    name: support
                    source: { services: [AWSSupportBusiness] }
                    targets: [retail]
                    method: even
                    basis: aws_cost

                    """)
        case .accountInNoGroup:
            .file(
                path: "accounts.yaml",
                text: """
                    kind: Account
                    name: acme-prod
                    account_id: "111111111111"
                    state: ACTIVE
                    ou_path: /Customers/Acme

                    """)
        case .memberLeftOrganization:
            .file(
                path: "billing-groups/groups.yaml",
                text: """
                    \(standardPlan)
                    ---
                    kind: BillingGroup
                    name: retail
                    primary_account_id: "111111111111"
                    account_ids: ["111111111111"]
                    pricing_plan: standard
                    ---
                    kind: Account
                    name: retail-prod
                    account_id: "111111111111"
                    state: SUSPENDED
                    ou_path: /Customers/Retail

                    """)
        case .selectorSelectsNothing:
            .file(
                path: "billing-groups/groups.yaml",
                text: """
                    \(standardPlan)
                    ---
                    kind: Account
                    name: retail-prod
                    account_id: "111111111111"
                    state: ACTIVE
                    ou_path: /Customers/Retail
                    ---
                    kind: BillingGroup
                    name: retail
                    primary_account_id: "111111111111"
                    account_ids: ["111111111111"]
                    account_selector: { ou_paths: [/Customers/RETAIL Inc] }
                    pricing_plan: standard

                    """)
        }
    }
}

/// The pricing plan `standard` (one GLOBAL markup) that the examples' billing groups name.
private let standardPlan = """
    kind: PricingPlan
    name: standard
    pricing_rules: [markup]
    ---
    kind: PricingRule
    name: markup
    scope: GLOBAL
    type: MARKUP
    modifier_percentage: 10
    """
