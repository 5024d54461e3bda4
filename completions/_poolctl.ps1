
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'poolctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'poolctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'poolctl' {
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region, e.g. ap-southeast-1, or eu-de on Open Telekom Cloud; picks the endpoint and the project [env: POOLCTL_REGION]')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'ModelArts endpoint URL; overrides the one derived from --region [env: POOLCTL_ENDPOINT]')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Project ID [env: POOLCTL_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID; else the credentials file, else looked up through IAM]')
            [CompletionResult]::new('--iam-endpoint', '--iam-endpoint', [CompletionResultType]::ParameterName, 'IAM endpoint URL for the project lookup [env: POOLCTL_IAM_ENDPOINT, HUAWEICLOUD_SDK_IAM_ENDPOINT; else the credentials file, else iam.X for --endpoint modelarts.X, else from --region]')
            [CompletionResult]::new('--workspace-id', '--workspace-id', [CompletionResultType]::ParameterName, 'Workspace of every lookup, and of created pools whose manifest names none (label os.modelarts/workspace.id) [env: POOLCTL_WORKSPACE_ID; default 0]')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust, added to the system''s [env: POOLCTL_CA_BUNDLE]')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit of each HTTP request, e.g. 30s, 2m [default: 60s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A JMESPath query on the JSON result, e.g. ''items[].metadata.name'' (as az --query)')
            [CompletionResult]::new('--allow-plain-http', '--allow-plain-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not this machine; credentials then cross the network in cleartext, and every run warns [env: POOLCTL_ALLOW_PLAIN_HTTP=1]')
            [CompletionResult]::new('--emulator', '--emulator', [CompletionResultType]::ParameterName, 'Run a pool API emulator inside this process and point this command at it: no account needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--show-settings', '--show-settings', [CompletionResultType]::ParameterName, 'Print the settings resolved from flags, environment and files (secrets redacted), and exit')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create pools from manifests and/or flags')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check manifests locally; with --preflight, also against the service (creates nothing)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show one pool (by metadata.name or by its os.modelarts/name label)')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show how the live pools differ from manifests: what apply would change')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Make pools as manifests describe them: create the missing, change the rest in place')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Show a pool in detail: phase, nodes per flavor and AZ, scope, driver, recent events')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List pools')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until a pool is Running (or deleted)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete pools: by name, by the manifests that describe them, or by label')
            [CompletionResult]::new('flavors', 'flavors', [CompletionResultType]::ParameterValue, 'List the resource flavors, and the AZs where each is available or sold out')
            [CompletionResult]::new('emulator', 'emulator', [CompletionResultType]::ParameterValue, 'Serve a local emulator of the pool API')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of the manifest (for editors and yaml-language-server)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'poolctl;create' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Manifest files (YAML or JSON), repeatable; - reads stdin')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Manifest files (YAML or JSON), repeatable; - reads stdin')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Pool name (the os.modelarts/name label)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Pool type [default: Dedicate]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Resource flavor, e.g. modelarts.vm.cpu.8ud')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Node count of the flavor')
            [CompletionResult]::new('--max-count', '--max-count', [CompletionResultType]::ParameterName, 'Elastic maximum of the flavor (logical pools)')
            [CompletionResult]::new('--resource', '--resource', [CompletionResultType]::ParameterName, 'A flavor and its counts, repeatable: flavor=F,count=N[,maxCount=M][,az=AZ:N]...')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Job types, comma-separated: Train, Infer, Notebook')
            [CompletionResult]::new('--network', '--network', [CompletionResultType]::ParameterName, 'Network name (spec.network.name)')
            [CompletionResult]::new('--vpc-id', '--vpc-id', [CompletionResultType]::ParameterName, 'VPC ID of a privileged pool (with --subnet-id)')
            [CompletionResult]::new('--subnet-id', '--subnet-id', [CompletionResultType]::ParameterName, 'Subnet ID of a privileged pool (with --vpc-id)')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'Description (annotation os.modelarts/description)')
            [CompletionResult]::new('--sharing', '--sharing', [CompletionResultType]::ParameterName, 'Sharing (label os.modelarts/sharing)')
            [CompletionResult]::new('--node-prefix', '--node-prefix', [CompletionResultType]::ParameterName, 'Node name prefix (label os.modelarts/node.prefix)')
            [CompletionResult]::new('--parent', '--parent', [CompletionResultType]::ParameterName, 'Parent pool ID of a logical sub-pool')
            [CompletionResult]::new('--container-cidr', '--container-cidr', [CompletionResultType]::ParameterName, 'Container network CIDR (spec.containerNetwork.cidr)')
            [CompletionResult]::new('--service-cidr', '--service-cidr', [CompletionResultType]::ParameterName, 'Kubernetes service CIDR (spec.kubernetesSvcIpRange)')
            [CompletionResult]::new('--master-az', '--master-az', [CompletionResultType]::ParameterName, 'AZ of a master node, repeatable')
            [CompletionResult]::new('--gpu-driver', '--gpu-driver', [CompletionResultType]::ParameterName, 'GPU driver version')
            [CompletionResult]::new('--npu-driver', '--npu-driver', [CompletionResultType]::ParameterName, 'NPU driver version')
            [CompletionResult]::new('--driver-update-strategy', '--driver-update-strategy', [CompletionResultType]::ParameterName, 'Driver upgrade policy')
            [CompletionResult]::new('--cluster-flavor', '--cluster-flavor', [CompletionResultType]::ParameterName, 'Cluster flavor of a standard pool')
            [CompletionResult]::new('--label', '--label', [CompletionResultType]::ParameterName, 'Any other label, repeatable: K=V')
            [CompletionResult]::new('--annotation', '--annotation', [CompletionResultType]::ParameterName, 'Any other annotation, repeatable: K=V')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long --wait waits, e.g. 90m, 1h30m')
            [CompletionResult]::new('--if-exists', '--if-exists', [CompletionResultType]::ParameterName, 'What to do when a pool with the same name exists')
            [CompletionResult]::new('--validate', '--validate', [CompletionResultType]::ParameterName, 'Unknown fields: strict (error) or warn (warn and send them)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region, e.g. ap-southeast-1, or eu-de on Open Telekom Cloud; picks the endpoint and the project [env: POOLCTL_REGION]')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'ModelArts endpoint URL; overrides the one derived from --region [env: POOLCTL_ENDPOINT]')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Project ID [env: POOLCTL_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID; else the credentials file, else looked up through IAM]')
            [CompletionResult]::new('--iam-endpoint', '--iam-endpoint', [CompletionResultType]::ParameterName, 'IAM endpoint URL for the project lookup [env: POOLCTL_IAM_ENDPOINT, HUAWEICLOUD_SDK_IAM_ENDPOINT; else the credentials file, else iam.X for --endpoint modelarts.X, else from --region]')
            [CompletionResult]::new('--workspace-id', '--workspace-id', [CompletionResultType]::ParameterName, 'Workspace of every lookup, and of created pools whose manifest names none (label os.modelarts/workspace.id) [env: POOLCTL_WORKSPACE_ID; default 0]')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust, added to the system''s [env: POOLCTL_CA_BUNDLE]')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit of each HTTP request, e.g. 30s, 2m [default: 60s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A JMESPath query on the JSON result, e.g. ''items[].metadata.name'' (as az --query)')
            [CompletionResult]::new('--ipv6', '--ipv6', [CompletionResultType]::ParameterName, 'Enable IPv6 (spec.ipv6enable)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request body that would be sent, and send nothing')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Follow the pool until it is Running or has failed')
            [CompletionResult]::new('--no-preflight', '--no-preflight', [CompletionResultType]::ParameterName, 'Skip the checks against the service (flavors sold out or unknown, network missing)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show secret values (userLogin.password) instead of <redacted>')
            [CompletionResult]::new('--allow-plain-http', '--allow-plain-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not this machine; credentials then cross the network in cleartext, and every run warns [env: POOLCTL_ALLOW_PLAIN_HTTP=1]')
            [CompletionResult]::new('--emulator', '--emulator', [CompletionResultType]::ParameterName, 'Run a pool API emulator inside this process and point this command at it: no account needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--show-settings', '--show-settings', [CompletionResultType]::ParameterName, 'Print the settings resolved from flags, environment and files (secrets redacted), and exit')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'poolctl;validate' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Manifest files (YAML or JSON); - reads stdin')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Manifest files (YAML or JSON); - reads stdin')
            [CompletionResult]::new('--validate', '--validate', [CompletionResultType]::ParameterName, 'Unknown fields: strict (error) or warn')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region, e.g. ap-southeast-1, or eu-de on Open Telekom Cloud; picks the endpoint and the project [env: POOLCTL_REGION]')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'ModelArts endpoint URL; overrides the one derived from --region [env: POOLCTL_ENDPOINT]')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Project ID [env: POOLCTL_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID; else the credentials file, else looked up through IAM]')
            [CompletionResult]::new('--iam-endpoint', '--iam-endpoint', [CompletionResultType]::ParameterName, 'IAM endpoint URL for the project lookup [env: POOLCTL_IAM_ENDPOINT, HUAWEICLOUD_SDK_IAM_ENDPOINT; else the credentials file, else iam.X for --endpoint modelarts.X, else from --region]')
            [CompletionResult]::new('--workspace-id', '--workspace-id', [CompletionResultType]::ParameterName, 'Workspace of every lookup, and of created pools whose manifest names none (label os.modelarts/workspace.id) [env: POOLCTL_WORKSPACE_ID; default 0]')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust, added to the system''s [env: POOLCTL_CA_BUNDLE]')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit of each HTTP request, e.g. 30s, 2m [default: 60s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A JMESPath query on the JSON result, e.g. ''items[].metadata.name'' (as az --query)')
            [CompletionResult]::new('--preflight', '--preflight', [CompletionResultType]::ParameterName, 'Also run create''s checks against the service (flavors, networks); creates nothing')
            [CompletionResult]::new('--allow-plain-http', '--allow-plain-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not this machine; credentials then cross the network in cleartext, and every run warns [env: POOLCTL_ALLOW_PLAIN_HTTP=1]')
            [CompletionResult]::new('--emulator', '--emulator', [CompletionResultType]::ParameterName, 'Run a pool API emulator inside this process and point this command at it: no account needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--show-settings', '--show-settings', [CompletionResultType]::ParameterName, 'Print the settings resolved from flags, environment and files (secrets redacted), and exit')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'poolctl;get' {
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region, e.g. ap-southeast-1, or eu-de on Open Telekom Cloud; picks the endpoint and the project [env: POOLCTL_REGION]')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'ModelArts endpoint URL; overrides the one derived from --region [env: POOLCTL_ENDPOINT]')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Project ID [env: POOLCTL_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID; else the credentials file, else looked up through IAM]')
            [CompletionResult]::new('--iam-endpoint', '--iam-endpoint', [CompletionResultType]::ParameterName, 'IAM endpoint URL for the project lookup [env: POOLCTL_IAM_ENDPOINT, HUAWEICLOUD_SDK_IAM_ENDPOINT; else the credentials file, else iam.X for --endpoint modelarts.X, else from --region]')
            [CompletionResult]::new('--workspace-id', '--workspace-id', [CompletionResultType]::ParameterName, 'Workspace of every lookup, and of created pools whose manifest names none (label os.modelarts/workspace.id) [env: POOLCTL_WORKSPACE_ID; default 0]')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust, added to the system''s [env: POOLCTL_CA_BUNDLE]')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit of each HTTP request, e.g. 30s, 2m [default: 60s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A JMESPath query on the JSON result, e.g. ''items[].metadata.name'' (as az --query)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show secret values instead of <redacted>')
            [CompletionResult]::new('--allow-plain-http', '--allow-plain-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not this machine; credentials then cross the network in cleartext, and every run warns [env: POOLCTL_ALLOW_PLAIN_HTTP=1]')
            [CompletionResult]::new('--emulator', '--emulator', [CompletionResultType]::ParameterName, 'Run a pool API emulator inside this process and point this command at it: no account needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--show-settings', '--show-settings', [CompletionResultType]::ParameterName, 'Print the settings resolved from flags, environment and files (secrets redacted), and exit')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'poolctl;diff' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Manifest files (YAML or JSON), repeatable; - reads stdin')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Manifest files (YAML or JSON), repeatable; - reads stdin')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Pool name (the os.modelarts/name label)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Pool type [default: Dedicate]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Resource flavor, e.g. modelarts.vm.cpu.8ud')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Node count of the flavor')
            [CompletionResult]::new('--max-count', '--max-count', [CompletionResultType]::ParameterName, 'Elastic maximum of the flavor (logical pools)')
            [CompletionResult]::new('--resource', '--resource', [CompletionResultType]::ParameterName, 'A flavor and its counts, repeatable: flavor=F,count=N[,maxCount=M][,az=AZ:N]...')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Job types, comma-separated: Train, Infer, Notebook')
            [CompletionResult]::new('--network', '--network', [CompletionResultType]::ParameterName, 'Network name (spec.network.name)')
            [CompletionResult]::new('--vpc-id', '--vpc-id', [CompletionResultType]::ParameterName, 'VPC ID of a privileged pool (with --subnet-id)')
            [CompletionResult]::new('--subnet-id', '--subnet-id', [CompletionResultType]::ParameterName, 'Subnet ID of a privileged pool (with --vpc-id)')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'Description (annotation os.modelarts/description)')
            [CompletionResult]::new('--sharing', '--sharing', [CompletionResultType]::ParameterName, 'Sharing (label os.modelarts/sharing)')
            [CompletionResult]::new('--node-prefix', '--node-prefix', [CompletionResultType]::ParameterName, 'Node name prefix (label os.modelarts/node.prefix)')
            [CompletionResult]::new('--parent', '--parent', [CompletionResultType]::ParameterName, 'Parent pool ID of a logical sub-pool')
            [CompletionResult]::new('--container-cidr', '--container-cidr', [CompletionResultType]::ParameterName, 'Container network CIDR (spec.containerNetwork.cidr)')
            [CompletionResult]::new('--service-cidr', '--service-cidr', [CompletionResultType]::ParameterName, 'Kubernetes service CIDR (spec.kubernetesSvcIpRange)')
            [CompletionResult]::new('--master-az', '--master-az', [CompletionResultType]::ParameterName, 'AZ of a master node, repeatable')
            [CompletionResult]::new('--gpu-driver', '--gpu-driver', [CompletionResultType]::ParameterName, 'GPU driver version')
            [CompletionResult]::new('--npu-driver', '--npu-driver', [CompletionResultType]::ParameterName, 'NPU driver version')
            [CompletionResult]::new('--driver-update-strategy', '--driver-update-strategy', [CompletionResultType]::ParameterName, 'Driver upgrade policy')
            [CompletionResult]::new('--cluster-flavor', '--cluster-flavor', [CompletionResultType]::ParameterName, 'Cluster flavor of a standard pool')
            [CompletionResult]::new('--label', '--label', [CompletionResultType]::ParameterName, 'Any other label, repeatable: K=V')
            [CompletionResult]::new('--annotation', '--annotation', [CompletionResultType]::ParameterName, 'Any other annotation, repeatable: K=V')
            [CompletionResult]::new('--validate', '--validate', [CompletionResultType]::ParameterName, 'Unknown fields: strict (error) or warn')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region, e.g. ap-southeast-1, or eu-de on Open Telekom Cloud; picks the endpoint and the project [env: POOLCTL_REGION]')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'ModelArts endpoint URL; overrides the one derived from --region [env: POOLCTL_ENDPOINT]')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Project ID [env: POOLCTL_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID; else the credentials file, else looked up through IAM]')
            [CompletionResult]::new('--iam-endpoint', '--iam-endpoint', [CompletionResultType]::ParameterName, 'IAM endpoint URL for the project lookup [env: POOLCTL_IAM_ENDPOINT, HUAWEICLOUD_SDK_IAM_ENDPOINT; else the credentials file, else iam.X for --endpoint modelarts.X, else from --region]')
            [CompletionResult]::new('--workspace-id', '--workspace-id', [CompletionResultType]::ParameterName, 'Workspace of every lookup, and of created pools whose manifest names none (label os.modelarts/workspace.id) [env: POOLCTL_WORKSPACE_ID; default 0]')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust, added to the system''s [env: POOLCTL_CA_BUNDLE]')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit of each HTTP request, e.g. 30s, 2m [default: 60s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A JMESPath query on the JSON result, e.g. ''items[].metadata.name'' (as az --query)')
            [CompletionResult]::new('--ipv6', '--ipv6', [CompletionResultType]::ParameterName, 'Enable IPv6 (spec.ipv6enable)')
            [CompletionResult]::new('--allow-plain-http', '--allow-plain-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not this machine; credentials then cross the network in cleartext, and every run warns [env: POOLCTL_ALLOW_PLAIN_HTTP=1]')
            [CompletionResult]::new('--emulator', '--emulator', [CompletionResultType]::ParameterName, 'Run a pool API emulator inside this process and point this command at it: no account needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--show-settings', '--show-settings', [CompletionResultType]::ParameterName, 'Print the settings resolved from flags, environment and files (secrets redacted), and exit')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'poolctl;apply' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Manifest files (YAML or JSON), repeatable; - reads stdin')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Manifest files (YAML or JSON), repeatable; - reads stdin')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Pool name (the os.modelarts/name label)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Pool type [default: Dedicate]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Resource flavor, e.g. modelarts.vm.cpu.8ud')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Node count of the flavor')
            [CompletionResult]::new('--max-count', '--max-count', [CompletionResultType]::ParameterName, 'Elastic maximum of the flavor (logical pools)')
            [CompletionResult]::new('--resource', '--resource', [CompletionResultType]::ParameterName, 'A flavor and its counts, repeatable: flavor=F,count=N[,maxCount=M][,az=AZ:N]...')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Job types, comma-separated: Train, Infer, Notebook')
            [CompletionResult]::new('--network', '--network', [CompletionResultType]::ParameterName, 'Network name (spec.network.name)')
            [CompletionResult]::new('--vpc-id', '--vpc-id', [CompletionResultType]::ParameterName, 'VPC ID of a privileged pool (with --subnet-id)')
            [CompletionResult]::new('--subnet-id', '--subnet-id', [CompletionResultType]::ParameterName, 'Subnet ID of a privileged pool (with --vpc-id)')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'Description (annotation os.modelarts/description)')
            [CompletionResult]::new('--sharing', '--sharing', [CompletionResultType]::ParameterName, 'Sharing (label os.modelarts/sharing)')
            [CompletionResult]::new('--node-prefix', '--node-prefix', [CompletionResultType]::ParameterName, 'Node name prefix (label os.modelarts/node.prefix)')
            [CompletionResult]::new('--parent', '--parent', [CompletionResultType]::ParameterName, 'Parent pool ID of a logical sub-pool')
            [CompletionResult]::new('--container-cidr', '--container-cidr', [CompletionResultType]::ParameterName, 'Container network CIDR (spec.containerNetwork.cidr)')
            [CompletionResult]::new('--service-cidr', '--service-cidr', [CompletionResultType]::ParameterName, 'Kubernetes service CIDR (spec.kubernetesSvcIpRange)')
            [CompletionResult]::new('--master-az', '--master-az', [CompletionResultType]::ParameterName, 'AZ of a master node, repeatable')
            [CompletionResult]::new('--gpu-driver', '--gpu-driver', [CompletionResultType]::ParameterName, 'GPU driver version')
            [CompletionResult]::new('--npu-driver', '--npu-driver', [CompletionResultType]::ParameterName, 'NPU driver version')
            [CompletionResult]::new('--driver-update-strategy', '--driver-update-strategy', [CompletionResultType]::ParameterName, 'Driver upgrade policy')
            [CompletionResult]::new('--cluster-flavor', '--cluster-flavor', [CompletionResultType]::ParameterName, 'Cluster flavor of a standard pool')
            [CompletionResult]::new('--label', '--label', [CompletionResultType]::ParameterName, 'Any other label, repeatable: K=V')
            [CompletionResult]::new('--annotation', '--annotation', [CompletionResultType]::ParameterName, 'Any other annotation, repeatable: K=V')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long --wait waits, e.g. 90m')
            [CompletionResult]::new('--validate', '--validate', [CompletionResultType]::ParameterName, 'Unknown fields: strict (error) or warn (warn and send them)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region, e.g. ap-southeast-1, or eu-de on Open Telekom Cloud; picks the endpoint and the project [env: POOLCTL_REGION]')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'ModelArts endpoint URL; overrides the one derived from --region [env: POOLCTL_ENDPOINT]')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Project ID [env: POOLCTL_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID; else the credentials file, else looked up through IAM]')
            [CompletionResult]::new('--iam-endpoint', '--iam-endpoint', [CompletionResultType]::ParameterName, 'IAM endpoint URL for the project lookup [env: POOLCTL_IAM_ENDPOINT, HUAWEICLOUD_SDK_IAM_ENDPOINT; else the credentials file, else iam.X for --endpoint modelarts.X, else from --region]')
            [CompletionResult]::new('--workspace-id', '--workspace-id', [CompletionResultType]::ParameterName, 'Workspace of every lookup, and of created pools whose manifest names none (label os.modelarts/workspace.id) [env: POOLCTL_WORKSPACE_ID; default 0]')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust, added to the system''s [env: POOLCTL_CA_BUNDLE]')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit of each HTTP request, e.g. 30s, 2m [default: 60s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A JMESPath query on the JSON result, e.g. ''items[].metadata.name'' (as az --query)')
            [CompletionResult]::new('--ipv6', '--ipv6', [CompletionResultType]::ParameterName, 'Enable IPv6 (spec.ipv6enable)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would be created and the patches; send nothing')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until each pool is Running with the nodes it asks for')
            [CompletionResult]::new('--no-preflight', '--no-preflight', [CompletionResultType]::ParameterName, 'Skip the checks against the service (flavors sold out or unknown, network missing)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show secret values (userLogin.password) instead of <redacted>')
            [CompletionResult]::new('--allow-plain-http', '--allow-plain-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not this machine; credentials then cross the network in cleartext, and every run warns [env: POOLCTL_ALLOW_PLAIN_HTTP=1]')
            [CompletionResult]::new('--emulator', '--emulator', [CompletionResultType]::ParameterName, 'Run a pool API emulator inside this process and point this command at it: no account needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--show-settings', '--show-settings', [CompletionResultType]::ParameterName, 'Print the settings resolved from flags, environment and files (secrets redacted), and exit')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'poolctl;describe' {
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region, e.g. ap-southeast-1, or eu-de on Open Telekom Cloud; picks the endpoint and the project [env: POOLCTL_REGION]')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'ModelArts endpoint URL; overrides the one derived from --region [env: POOLCTL_ENDPOINT]')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Project ID [env: POOLCTL_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID; else the credentials file, else looked up through IAM]')
            [CompletionResult]::new('--iam-endpoint', '--iam-endpoint', [CompletionResultType]::ParameterName, 'IAM endpoint URL for the project lookup [env: POOLCTL_IAM_ENDPOINT, HUAWEICLOUD_SDK_IAM_ENDPOINT; else the credentials file, else iam.X for --endpoint modelarts.X, else from --region]')
            [CompletionResult]::new('--workspace-id', '--workspace-id', [CompletionResultType]::ParameterName, 'Workspace of every lookup, and of created pools whose manifest names none (label os.modelarts/workspace.id) [env: POOLCTL_WORKSPACE_ID; default 0]')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust, added to the system''s [env: POOLCTL_CA_BUNDLE]')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit of each HTTP request, e.g. 30s, 2m [default: 60s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A JMESPath query on the JSON result, e.g. ''items[].metadata.name'' (as az --query)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show secret values instead of <redacted>')
            [CompletionResult]::new('--allow-plain-http', '--allow-plain-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not this machine; credentials then cross the network in cleartext, and every run warns [env: POOLCTL_ALLOW_PLAIN_HTTP=1]')
            [CompletionResult]::new('--emulator', '--emulator', [CompletionResultType]::ParameterName, 'Run a pool API emulator inside this process and point this command at it: no account needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--show-settings', '--show-settings', [CompletionResultType]::ParameterName, 'Print the settings resolved from flags, environment and files (secrets redacted), and exit')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'poolctl;list' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Only pools with this label, e.g. os.modelarts/name=pool-ae01')
            [CompletionResult]::new('--label-selector', '--label-selector', [CompletionResultType]::ParameterName, 'Only pools with this label, e.g. os.modelarts/name=pool-ae01')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only pools in this state')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region, e.g. ap-southeast-1, or eu-de on Open Telekom Cloud; picks the endpoint and the project [env: POOLCTL_REGION]')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'ModelArts endpoint URL; overrides the one derived from --region [env: POOLCTL_ENDPOINT]')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Project ID [env: POOLCTL_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID; else the credentials file, else looked up through IAM]')
            [CompletionResult]::new('--iam-endpoint', '--iam-endpoint', [CompletionResultType]::ParameterName, 'IAM endpoint URL for the project lookup [env: POOLCTL_IAM_ENDPOINT, HUAWEICLOUD_SDK_IAM_ENDPOINT; else the credentials file, else iam.X for --endpoint modelarts.X, else from --region]')
            [CompletionResult]::new('--workspace-id', '--workspace-id', [CompletionResultType]::ParameterName, 'Workspace of every lookup, and of created pools whose manifest names none (label os.modelarts/workspace.id) [env: POOLCTL_WORKSPACE_ID; default 0]')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust, added to the system''s [env: POOLCTL_CA_BUNDLE]')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit of each HTTP request, e.g. 30s, 2m [default: 60s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A JMESPath query on the JSON result, e.g. ''items[].metadata.name'' (as az --query)')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'After the list, print each change as it comes (until Ctrl-C); -o json: one {"type","object"} per line')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'After the list, print each change as it comes (until Ctrl-C); -o json: one {"type","object"} per line')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'No header line in the table')
            [CompletionResult]::new('--allow-plain-http', '--allow-plain-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not this machine; credentials then cross the network in cleartext, and every run warns [env: POOLCTL_ALLOW_PLAIN_HTTP=1]')
            [CompletionResult]::new('--emulator', '--emulator', [CompletionResultType]::ParameterName, 'Run a pool API emulator inside this process and point this command at it: no account needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--show-settings', '--show-settings', [CompletionResultType]::ParameterName, 'Print the settings resolved from flags, environment and files (secrets redacted), and exit')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'poolctl;wait' {
            [CompletionResult]::new('--for', '--for', [CompletionResultType]::ParameterName, 'The state to wait for')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long to wait, e.g. 90m')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region, e.g. ap-southeast-1, or eu-de on Open Telekom Cloud; picks the endpoint and the project [env: POOLCTL_REGION]')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'ModelArts endpoint URL; overrides the one derived from --region [env: POOLCTL_ENDPOINT]')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Project ID [env: POOLCTL_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID; else the credentials file, else looked up through IAM]')
            [CompletionResult]::new('--iam-endpoint', '--iam-endpoint', [CompletionResultType]::ParameterName, 'IAM endpoint URL for the project lookup [env: POOLCTL_IAM_ENDPOINT, HUAWEICLOUD_SDK_IAM_ENDPOINT; else the credentials file, else iam.X for --endpoint modelarts.X, else from --region]')
            [CompletionResult]::new('--workspace-id', '--workspace-id', [CompletionResultType]::ParameterName, 'Workspace of every lookup, and of created pools whose manifest names none (label os.modelarts/workspace.id) [env: POOLCTL_WORKSPACE_ID; default 0]')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust, added to the system''s [env: POOLCTL_CA_BUNDLE]')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit of each HTTP request, e.g. 30s, 2m [default: 60s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A JMESPath query on the JSON result, e.g. ''items[].metadata.name'' (as az --query)')
            [CompletionResult]::new('--allow-plain-http', '--allow-plain-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not this machine; credentials then cross the network in cleartext, and every run warns [env: POOLCTL_ALLOW_PLAIN_HTTP=1]')
            [CompletionResult]::new('--emulator', '--emulator', [CompletionResultType]::ParameterName, 'Run a pool API emulator inside this process and point this command at it: no account needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--show-settings', '--show-settings', [CompletionResultType]::ParameterName, 'Print the settings resolved from flags, environment and files (secrets redacted), and exit')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'poolctl;delete' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The pools these manifests describe, each in its workspace; - reads stdin')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'The pools these manifests describe, each in its workspace; - reads stdin')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Every pool with these labels (in --workspace-id), e.g. team=ml,env=ci')
            [CompletionResult]::new('--label-selector', '--label-selector', [CompletionResultType]::ParameterName, 'Every pool with these labels (in --workspace-id), e.g. team=ml,env=ci')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'With -f: the pool name that overrides the manifest''s, as for create and apply')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long --wait waits')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region, e.g. ap-southeast-1, or eu-de on Open Telekom Cloud; picks the endpoint and the project [env: POOLCTL_REGION]')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'ModelArts endpoint URL; overrides the one derived from --region [env: POOLCTL_ENDPOINT]')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Project ID [env: POOLCTL_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID; else the credentials file, else looked up through IAM]')
            [CompletionResult]::new('--iam-endpoint', '--iam-endpoint', [CompletionResultType]::ParameterName, 'IAM endpoint URL for the project lookup [env: POOLCTL_IAM_ENDPOINT, HUAWEICLOUD_SDK_IAM_ENDPOINT; else the credentials file, else iam.X for --endpoint modelarts.X, else from --region]')
            [CompletionResult]::new('--workspace-id', '--workspace-id', [CompletionResultType]::ParameterName, 'Workspace of every lookup, and of created pools whose manifest names none (label os.modelarts/workspace.id) [env: POOLCTL_WORKSPACE_ID; default 0]')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust, added to the system''s [env: POOLCTL_CA_BUNDLE]')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit of each HTTP request, e.g. 30s, 2m [default: 60s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A JMESPath query on the JSON result, e.g. ''items[].metadata.name'' (as az --query)')
            [CompletionResult]::new('--ignore-not-found', '--ignore-not-found', [CompletionResultType]::ParameterName, 'A pool that does not exist is not an error (exit 0)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until the pools are gone')
            [CompletionResult]::new('--allow-plain-http', '--allow-plain-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not this machine; credentials then cross the network in cleartext, and every run warns [env: POOLCTL_ALLOW_PLAIN_HTTP=1]')
            [CompletionResult]::new('--emulator', '--emulator', [CompletionResultType]::ParameterName, 'Run a pool API emulator inside this process and point this command at it: no account needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--show-settings', '--show-settings', [CompletionResultType]::ParameterName, 'Print the settings resolved from flags, environment and files (secrets redacted), and exit')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'poolctl;flavors' {
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Only flavors of this kind')
            [CompletionResult]::new('--az', '--az', [CompletionResultType]::ParameterName, 'Only flavors offered in this AZ, with their state there')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region, e.g. ap-southeast-1, or eu-de on Open Telekom Cloud; picks the endpoint and the project [env: POOLCTL_REGION]')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'ModelArts endpoint URL; overrides the one derived from --region [env: POOLCTL_ENDPOINT]')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Project ID [env: POOLCTL_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID; else the credentials file, else looked up through IAM]')
            [CompletionResult]::new('--iam-endpoint', '--iam-endpoint', [CompletionResultType]::ParameterName, 'IAM endpoint URL for the project lookup [env: POOLCTL_IAM_ENDPOINT, HUAWEICLOUD_SDK_IAM_ENDPOINT; else the credentials file, else iam.X for --endpoint modelarts.X, else from --region]')
            [CompletionResult]::new('--workspace-id', '--workspace-id', [CompletionResultType]::ParameterName, 'Workspace of every lookup, and of created pools whose manifest names none (label os.modelarts/workspace.id) [env: POOLCTL_WORKSPACE_ID; default 0]')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust, added to the system''s [env: POOLCTL_CA_BUNDLE]')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit of each HTTP request, e.g. 30s, 2m [default: 60s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A JMESPath query on the JSON result, e.g. ''items[].metadata.name'' (as az --query)')
            [CompletionResult]::new('--available', '--available', [CompletionResultType]::ParameterName, 'Only flavors not sold out (in --az, else in some AZ)')
            [CompletionResult]::new('--allow-plain-http', '--allow-plain-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a host that is not this machine; credentials then cross the network in cleartext, and every run warns [env: POOLCTL_ALLOW_PLAIN_HTTP=1]')
            [CompletionResult]::new('--emulator', '--emulator', [CompletionResultType]::ParameterName, 'Run a pool API emulator inside this process and point this command at it: no account needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--show-settings', '--show-settings', [CompletionResultType]::ParameterName, 'Print the settings resolved from flags, environment and files (secrets redacted), and exit')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'poolctl;emulator' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on (loopback by default; port 0 picks a free one)')
            [CompletionResult]::new('--provision-time', '--provision-time', [CompletionResultType]::ParameterName, 'Time for a pool to go from Creating to Running')
            [CompletionResult]::new('--faults', '--faults', [CompletionResultType]::ParameterName, 'Injected faults, e.g. "get:503*3,post:reset-after*1,429=2%20,latency=300ms" (docs/emulator.md)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed of the fault injection, for reproducible runs')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Keep pools in this file across restarts (written atomically)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A JMESPath query on the JSON result, e.g. ''items[].metadata.name'' (as az --query)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--show-settings', '--show-settings', [CompletionResultType]::ParameterName, 'Print the settings resolved from flags, environment and files (secrets redacted), and exit')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'poolctl;schema' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A JMESPath query on the JSON result, e.g. ''items[].metadata.name'' (as az --query)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--show-settings', '--show-settings', [CompletionResultType]::ParameterName, 'Print the settings resolved from flags, environment and files (secrets redacted), and exit')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'poolctl;completions' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A JMESPath query on the JSON result, e.g. ''items[].metadata.name'' (as az --query)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--show-settings', '--show-settings', [CompletionResultType]::ParameterName, 'Print the settings resolved from flags, environment and files (secrets redacted), and exit')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'poolctl;man' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A JMESPath query on the JSON result, e.g. ''items[].metadata.name'' (as az --query)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the result: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr; -vv traces HTTP (secrets redacted)')
            [CompletionResult]::new('--show-settings', '--show-settings', [CompletionResultType]::ParameterName, 'Print the settings resolved from flags, environment and files (secrets redacted), and exit')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'poolctl;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create pools from manifests and/or flags')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check manifests locally; with --preflight, also against the service (creates nothing)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show one pool (by metadata.name or by its os.modelarts/name label)')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show how the live pools differ from manifests: what apply would change')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Make pools as manifests describe them: create the missing, change the rest in place')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Show a pool in detail: phase, nodes per flavor and AZ, scope, driver, recent events')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List pools')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until a pool is Running (or deleted)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete pools: by name, by the manifests that describe them, or by label')
            [CompletionResult]::new('flavors', 'flavors', [CompletionResultType]::ParameterValue, 'List the resource flavors, and the AZs where each is available or sold out')
            [CompletionResult]::new('emulator', 'emulator', [CompletionResultType]::ParameterValue, 'Serve a local emulator of the pool API')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of the manifest (for editors and yaml-language-server)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'poolctl;help;create' {
            break
        }
        'poolctl;help;validate' {
            break
        }
        'poolctl;help;get' {
            break
        }
        'poolctl;help;diff' {
            break
        }
        'poolctl;help;apply' {
            break
        }
        'poolctl;help;describe' {
            break
        }
        'poolctl;help;list' {
            break
        }
        'poolctl;help;wait' {
            break
        }
        'poolctl;help;delete' {
            break
        }
        'poolctl;help;flavors' {
            break
        }
        'poolctl;help;emulator' {
            break
        }
        'poolctl;help;schema' {
            break
        }
        'poolctl;help;completions' {
            break
        }
        'poolctl;help;man' {
            break
        }
        'poolctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
