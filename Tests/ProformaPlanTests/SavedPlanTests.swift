import Foundation
import ProformaCore
import ProformaPlan
import Testing

@Suite("Saved plans")
struct SavedPlanTests {
    func plan(state: PlannedState?) -> Plan {
        Plan(
            base: PlanSide(label: "main (1a2b3c4)", commit: String(repeating: "a", count: 40), configurationHash: "h1"),
            head: PlanSide(label: "working tree", commit: nil, configurationHash: "h2"), root: "billing",
            diff: ConfigurationDiff(changes: []), toolVersion: "0.1.0", state: state)
    }

    @Test("A saved plan carries the applied state it was planned against, and reads back")
    func roundTrip() throws {
        let text = JSONWriter.write(
            plan(state: PlannedState(lineage: "5f0c3d2e-0000-4000-8000-000000000001", serial: 7)).json)
        #expect(
            text.contains(
                "\"state\": {\n    \"lineage\": \"5f0c3d2e-0000-4000-8000-000000000001\",\n    \"serial\": 7\n  }"))
        let read = try #require(SavedPlan.read(Data(text.utf8)))
        #expect(read.state == PlannedState(lineage: "5f0c3d2e-0000-4000-8000-000000000001", serial: 7))
        #expect(read.base.commit == String(repeating: "a", count: 40) && read.base.configurationHash == "h1")
        #expect(read.head.commit == nil && read.head.label == "working tree" && read.root == "billing")
    }

    @Test("Before the first apply the state is serial 0 with no lineage; without a store it is null")
    func emptyState() throws {
        let empty = try #require(
            SavedPlan.read(Data(JSONWriter.write(plan(state: PlannedState(lineage: nil, serial: 0)).json).utf8)))
        #expect(empty.state == PlannedState(lineage: nil, serial: 0))
        let none = try #require(SavedPlan.read(Data(JSONWriter.write(plan(state: nil).json).utf8)))
        #expect(none.state == nil)
    }

    @Test("Anything else is not a saved plan", arguments: ["{}", "not json", #"{"format_version": 2}"#, ""])
    func notAPlan(text: String) {
        #expect(SavedPlan.read(Data(text.utf8)) == nil)
    }

    @Test("Another format version is not read")
    func otherVersion() {
        let text = JSONWriter.write(plan(state: nil).json).replacingOccurrences(
            of: "\"format_version\": 1", with: "\"format_version\": 2")
        #expect(SavedPlan.read(Data(text.utf8)) == nil)
    }
}
