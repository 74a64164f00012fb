// TEMPORARY: weak placeholders so the tree links while rules are written in
// parallel. A rule's own file overrides its placeholder. Removed once every
// rule exists (the catalog test then checks each row).
#include "rules/rules.h"

namespace obslint {
__attribute__((weak)) void CheckObsoleteVersion(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckUndefinedNetwork(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckUndefinedVolume(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckDependsOnUnknown(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckHostPortConflict(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckUnsetVariable(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckMountSourceMissing(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckDependsOnCycle(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckHealthyWithoutHealthcheck(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckHealthcheckToolMissing(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckInvalidPort(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckUndefinedComponent(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckUnusedComponent(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckUnknownComponentType(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckDeprecatedComponent(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckInvalidComponentKey(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckInvalidEnvSyntax(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckMemoryLimiterNotFirst(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckSignalNotSupported(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckEmptyPipeline(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckUnknownPipelineType(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckDeprecatedSchema(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckNoRetention(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckStorageNotPersisted(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckMultipleDefaultDatasources(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckDuplicateDatasource(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckUnknownDatasourceUid(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckDashboardPathMissing(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckDatasourceWithoutUid(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckProvisioningEnvSyntax(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckUnusedEnvVariable(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckDuplicateEnvVariable(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckExporterTargetWithoutDependsOn(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckUnknownHost(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckPortNotListening(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckNoSharedNetwork(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckLocalhostInContainer(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckProtocolMismatch(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckConfigNotMounted(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckVariableNotInContainer(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckDataNotPersisted(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckPublishedPortNotListening(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckDatasourceTypeMismatch(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckIncompleteDependencySet(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckDefaultCredentials(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckPlaceholderSecret(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckHardcodedSecret(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckOpenRegistration(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckAnonymousAccess(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckUnauthenticatedPortExposed(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckUnpinnedImage(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckNoResourceLimits(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckInsecureTls(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckPlainHttpPublicUrl(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckPosthogCondition(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckUmamiCondition(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckCloudProviderService(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckRequiredServiceMissing(const Project&, const Knowledge&, Reporter&) {}
__attribute__((weak)) void CheckForbiddenImage(const Project&, const Knowledge&, Reporter&) {}
}  // namespace obslint
