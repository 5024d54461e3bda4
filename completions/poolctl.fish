# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_poolctl_global_optspecs
    string join \n region= endpoint= project-id= iam-endpoint= workspace-id= ca-bundle= request-timeout= allow-plain-http emulator o/output= q/quiet v/verbose query= show-settings h/help V/version
end

function __fish_poolctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_poolctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_poolctl_using_subcommand
    set -l cmd (__fish_poolctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c poolctl -n "__fish_poolctl_needs_command" -l region -d 'Region, e.g. ap-southeast-1, or eu-de on Open Telekom Cloud; picks the endpoint and the project [env: POOLCTL_REGION]' -r
complete -c poolctl -n "__fish_poolctl_needs_command" -l endpoint -d 'ModelArts endpoint URL; overrides the one derived from --region [env: POOLCTL_ENDPOINT]' -r
complete -c poolctl -n "__fish_poolctl_needs_command" -l project-id -d 'Project ID [env: POOLCTL_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID; else the credentials file, else looked up through IAM]' -r
complete -c poolctl -n "__fish_poolctl_needs_command" -l iam-endpoint -d 'IAM endpoint URL for the project lookup [env: POOLCTL_IAM_ENDPOINT, HUAWEICLOUD_SDK_IAM_ENDPOINT; else the credentials file, else iam.X for --endpoint modelarts.X, else from --region]' -r
complete -c poolctl -n "__fish_poolctl_needs_command" -l workspace-id -d 'Workspace of every lookup, and of created pools whose manifest names none (label os.modelarts/workspace.id) [env: POOLCTL_WORKSPACE_ID; default 0]' -r
complete -c poolctl -n "__fish_poolctl_needs_command" -l ca-bundle -d 'PEM file of CA certificates to trust, added to the system\'s [env: POOLCTL_CA_BUNDLE]' -r -F
complete -c poolctl -n "__fish_poolctl_needs_command" -l request-timeout -d 'Time limit of each HTTP request, e.g. 30s, 2m [default: 60s]' -r
complete -c poolctl -n "__fish_poolctl_needs_command" -s o -l output -d 'Output format of the result on stdout' -r -f -a "text\t'For people: details, tables, lines'
json\t'The service\'s objects as JSON'
yaml\t'The same as YAML'
name\t'metadata.name of each pool (or flavor), one per line'
wide\t'list: a table with more columns'"
complete -c poolctl -n "__fish_poolctl_needs_command" -l query -d 'A JMESPath query on the JSON result, e.g. \'items[].metadata.name\' (as az --query)' -r
complete -c poolctl -n "__fish_poolctl_needs_command" -l allow-plain-http -d 'Allow plain http:// to a host that is not this machine; credentials then cross the network in cleartext, and every run warns [env: POOLCTL_ALLOW_PLAIN_HTTP=1]'
complete -c poolctl -n "__fish_poolctl_needs_command" -l emulator -d 'Run a pool API emulator inside this process and point this command at it: no account needed'
complete -c poolctl -n "__fish_poolctl_needs_command" -s q -l quiet -d 'Print only the result: no progress, no warnings'
complete -c poolctl -n "__fish_poolctl_needs_command" -s v -l verbose -d 'More detail on stderr; -vv traces HTTP (secrets redacted)'
complete -c poolctl -n "__fish_poolctl_needs_command" -l show-settings -d 'Print the settings resolved from flags, environment and files (secrets redacted), and exit'
complete -c poolctl -n "__fish_poolctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c poolctl -n "__fish_poolctl_needs_command" -s V -l version -d 'Print version'
complete -c poolctl -n "__fish_poolctl_needs_command" -f -a "create" -d 'Create pools from manifests and/or flags'
complete -c poolctl -n "__fish_poolctl_needs_command" -f -a "validate" -d 'Check manifests locally; with --preflight, also against the service (creates nothing)'
complete -c poolctl -n "__fish_poolctl_needs_command" -f -a "get" -d 'Show one pool (by metadata.name or by its os.modelarts/name label)'
complete -c poolctl -n "__fish_poolctl_needs_command" -f -a "diff" -d 'Show how the live pools differ from manifests: what apply would change'
complete -c poolctl -n "__fish_poolctl_needs_command" -f -a "apply" -d 'Make pools as manifests describe them: create the missing, change the rest in place'
complete -c poolctl -n "__fish_poolctl_needs_command" -f -a "describe" -d 'Show a pool in detail: phase, nodes per flavor and AZ, scope, driver, recent events'
complete -c poolctl -n "__fish_poolctl_needs_command" -f -a "list" -d 'List pools'
complete -c poolctl -n "__fish_poolctl_needs_command" -f -a "wait" -d 'Wait until a pool is Running (or deleted)'
complete -c poolctl -n "__fish_poolctl_needs_command" -f -a "delete" -d 'Delete pools: by name, by the manifests that describe them, or by label'
complete -c poolctl -n "__fish_poolctl_needs_command" -f -a "flavors" -d 'List the resource flavors, and the AZs where each is available or sold out'
complete -c poolctl -n "__fish_poolctl_needs_command" -f -a "emulator" -d 'Serve a local emulator of the pool API'
complete -c poolctl -n "__fish_poolctl_needs_command" -f -a "schema" -d 'Print the JSON Schema of the manifest (for editors and yaml-language-server)'
complete -c poolctl -n "__fish_poolctl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c poolctl -n "__fish_poolctl_needs_command" -f -a "man" -d 'Print the man page (roff)'
complete -c poolctl -n "__fish_poolctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -s f -l filename -d 'Manifest files (YAML or JSON), repeatable; - reads stdin' -r -F
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l name -d 'Pool name (the os.modelarts/name label)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l type -d 'Pool type [default: Dedicate]' -r -f -a "Dedicate\t''
Logical\t''"
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l flavor -d 'Resource flavor, e.g. modelarts.vm.cpu.8ud' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l count -d 'Node count of the flavor' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l max-count -d 'Elastic maximum of the flavor (logical pools)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l resource -d 'A flavor and its counts, repeatable: flavor=F,count=N[,maxCount=M][,az=AZ:N]...' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l scope -d 'Job types, comma-separated: Train, Infer, Notebook' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l network -d 'Network name (spec.network.name)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l vpc-id -d 'VPC ID of a privileged pool (with --subnet-id)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l subnet-id -d 'Subnet ID of a privileged pool (with --vpc-id)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l description -d 'Description (annotation os.modelarts/description)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l sharing -d 'Sharing (label os.modelarts/sharing)' -r -f -a "shared\t''
unshared\t''"
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l node-prefix -d 'Node name prefix (label os.modelarts/node.prefix)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l parent -d 'Parent pool ID of a logical sub-pool' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l container-cidr -d 'Container network CIDR (spec.containerNetwork.cidr)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l service-cidr -d 'Kubernetes service CIDR (spec.kubernetesSvcIpRange)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l master-az -d 'AZ of a master node, repeatable' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l gpu-driver -d 'GPU driver version' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l npu-driver -d 'NPU driver version' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l driver-update-strategy -d 'Driver upgrade policy' -r -f -a "force\t''
idle\t''"
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l cluster-flavor -d 'Cluster flavor of a standard pool' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l label -d 'Any other label, repeatable: K=V' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l annotation -d 'Any other annotation, repeatable: K=V' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l wait-timeout -d 'How long --wait waits, e.g. 90m, 1h30m' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l if-exists -d 'What to do when a pool with the same name exists' -r -f -a "fail\t'Exit 5 when a pool with the name exists'
reuse\t'Adopt the existing pool (and wait for it with --wait)'"
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l validate -d 'Unknown fields: strict (error) or warn (warn and send them)' -r -f -a "strict\t'Unknown fields are errors'
warn\t'Unknown fields are warnings and are sent as they are'"
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l region -d 'Region, e.g. ap-southeast-1, or eu-de on Open Telekom Cloud; picks the endpoint and the project [env: POOLCTL_REGION]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l endpoint -d 'ModelArts endpoint URL; overrides the one derived from --region [env: POOLCTL_ENDPOINT]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l project-id -d 'Project ID [env: POOLCTL_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID; else the credentials file, else looked up through IAM]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l iam-endpoint -d 'IAM endpoint URL for the project lookup [env: POOLCTL_IAM_ENDPOINT, HUAWEICLOUD_SDK_IAM_ENDPOINT; else the credentials file, else iam.X for --endpoint modelarts.X, else from --region]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l workspace-id -d 'Workspace of every lookup, and of created pools whose manifest names none (label os.modelarts/workspace.id) [env: POOLCTL_WORKSPACE_ID; default 0]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l ca-bundle -d 'PEM file of CA certificates to trust, added to the system\'s [env: POOLCTL_CA_BUNDLE]' -r -F
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l request-timeout -d 'Time limit of each HTTP request, e.g. 30s, 2m [default: 60s]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -s o -l output -d 'Output format of the result on stdout' -r -f -a "text\t'For people: details, tables, lines'
json\t'The service\'s objects as JSON'
yaml\t'The same as YAML'
name\t'metadata.name of each pool (or flavor), one per line'
wide\t'list: a table with more columns'"
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l query -d 'A JMESPath query on the JSON result, e.g. \'items[].metadata.name\' (as az --query)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l ipv6 -d 'Enable IPv6 (spec.ipv6enable)'
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l dry-run -d 'Print the request body that would be sent, and send nothing'
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l wait -d 'Follow the pool until it is Running or has failed'
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l no-preflight -d 'Skip the checks against the service (flavors sold out or unknown, network missing)'
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l show-secrets -d 'Show secret values (userLogin.password) instead of <redacted>'
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l allow-plain-http -d 'Allow plain http:// to a host that is not this machine; credentials then cross the network in cleartext, and every run warns [env: POOLCTL_ALLOW_PLAIN_HTTP=1]'
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l emulator -d 'Run a pool API emulator inside this process and point this command at it: no account needed'
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -s q -l quiet -d 'Print only the result: no progress, no warnings'
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -s v -l verbose -d 'More detail on stderr; -vv traces HTTP (secrets redacted)'
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -l show-settings -d 'Print the settings resolved from flags, environment and files (secrets redacted), and exit'
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c poolctl -n "__fish_poolctl_using_subcommand create" -s V -l version -d 'Print version'
complete -c poolctl -n "__fish_poolctl_using_subcommand validate" -s f -l filename -d 'Manifest files (YAML or JSON); - reads stdin' -r -F
complete -c poolctl -n "__fish_poolctl_using_subcommand validate" -l validate -d 'Unknown fields: strict (error) or warn' -r -f -a "strict\t'Unknown fields are errors'
warn\t'Unknown fields are warnings and are sent as they are'"
complete -c poolctl -n "__fish_poolctl_using_subcommand validate" -l region -d 'Region, e.g. ap-southeast-1, or eu-de on Open Telekom Cloud; picks the endpoint and the project [env: POOLCTL_REGION]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand validate" -l endpoint -d 'ModelArts endpoint URL; overrides the one derived from --region [env: POOLCTL_ENDPOINT]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand validate" -l project-id -d 'Project ID [env: POOLCTL_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID; else the credentials file, else looked up through IAM]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand validate" -l iam-endpoint -d 'IAM endpoint URL for the project lookup [env: POOLCTL_IAM_ENDPOINT, HUAWEICLOUD_SDK_IAM_ENDPOINT; else the credentials file, else iam.X for --endpoint modelarts.X, else from --region]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand validate" -l workspace-id -d 'Workspace of every lookup, and of created pools whose manifest names none (label os.modelarts/workspace.id) [env: POOLCTL_WORKSPACE_ID; default 0]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand validate" -l ca-bundle -d 'PEM file of CA certificates to trust, added to the system\'s [env: POOLCTL_CA_BUNDLE]' -r -F
complete -c poolctl -n "__fish_poolctl_using_subcommand validate" -l request-timeout -d 'Time limit of each HTTP request, e.g. 30s, 2m [default: 60s]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand validate" -s o -l output -d 'Output format of the result on stdout' -r -f -a "text\t'For people: details, tables, lines'
json\t'The service\'s objects as JSON'
yaml\t'The same as YAML'
name\t'metadata.name of each pool (or flavor), one per line'
wide\t'list: a table with more columns'"
complete -c poolctl -n "__fish_poolctl_using_subcommand validate" -l query -d 'A JMESPath query on the JSON result, e.g. \'items[].metadata.name\' (as az --query)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand validate" -l preflight -d 'Also run create\'s checks against the service (flavors, networks); creates nothing'
complete -c poolctl -n "__fish_poolctl_using_subcommand validate" -l allow-plain-http -d 'Allow plain http:// to a host that is not this machine; credentials then cross the network in cleartext, and every run warns [env: POOLCTL_ALLOW_PLAIN_HTTP=1]'
complete -c poolctl -n "__fish_poolctl_using_subcommand validate" -l emulator -d 'Run a pool API emulator inside this process and point this command at it: no account needed'
complete -c poolctl -n "__fish_poolctl_using_subcommand validate" -s q -l quiet -d 'Print only the result: no progress, no warnings'
complete -c poolctl -n "__fish_poolctl_using_subcommand validate" -s v -l verbose -d 'More detail on stderr; -vv traces HTTP (secrets redacted)'
complete -c poolctl -n "__fish_poolctl_using_subcommand validate" -l show-settings -d 'Print the settings resolved from flags, environment and files (secrets redacted), and exit'
complete -c poolctl -n "__fish_poolctl_using_subcommand validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c poolctl -n "__fish_poolctl_using_subcommand validate" -s V -l version -d 'Print version'
complete -c poolctl -n "__fish_poolctl_using_subcommand get" -l region -d 'Region, e.g. ap-southeast-1, or eu-de on Open Telekom Cloud; picks the endpoint and the project [env: POOLCTL_REGION]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand get" -l endpoint -d 'ModelArts endpoint URL; overrides the one derived from --region [env: POOLCTL_ENDPOINT]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand get" -l project-id -d 'Project ID [env: POOLCTL_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID; else the credentials file, else looked up through IAM]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand get" -l iam-endpoint -d 'IAM endpoint URL for the project lookup [env: POOLCTL_IAM_ENDPOINT, HUAWEICLOUD_SDK_IAM_ENDPOINT; else the credentials file, else iam.X for --endpoint modelarts.X, else from --region]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand get" -l workspace-id -d 'Workspace of every lookup, and of created pools whose manifest names none (label os.modelarts/workspace.id) [env: POOLCTL_WORKSPACE_ID; default 0]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand get" -l ca-bundle -d 'PEM file of CA certificates to trust, added to the system\'s [env: POOLCTL_CA_BUNDLE]' -r -F
complete -c poolctl -n "__fish_poolctl_using_subcommand get" -l request-timeout -d 'Time limit of each HTTP request, e.g. 30s, 2m [default: 60s]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand get" -s o -l output -d 'Output format of the result on stdout' -r -f -a "text\t'For people: details, tables, lines'
json\t'The service\'s objects as JSON'
yaml\t'The same as YAML'
name\t'metadata.name of each pool (or flavor), one per line'
wide\t'list: a table with more columns'"
complete -c poolctl -n "__fish_poolctl_using_subcommand get" -l query -d 'A JMESPath query on the JSON result, e.g. \'items[].metadata.name\' (as az --query)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand get" -l show-secrets -d 'Show secret values instead of <redacted>'
complete -c poolctl -n "__fish_poolctl_using_subcommand get" -l allow-plain-http -d 'Allow plain http:// to a host that is not this machine; credentials then cross the network in cleartext, and every run warns [env: POOLCTL_ALLOW_PLAIN_HTTP=1]'
complete -c poolctl -n "__fish_poolctl_using_subcommand get" -l emulator -d 'Run a pool API emulator inside this process and point this command at it: no account needed'
complete -c poolctl -n "__fish_poolctl_using_subcommand get" -s q -l quiet -d 'Print only the result: no progress, no warnings'
complete -c poolctl -n "__fish_poolctl_using_subcommand get" -s v -l verbose -d 'More detail on stderr; -vv traces HTTP (secrets redacted)'
complete -c poolctl -n "__fish_poolctl_using_subcommand get" -l show-settings -d 'Print the settings resolved from flags, environment and files (secrets redacted), and exit'
complete -c poolctl -n "__fish_poolctl_using_subcommand get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c poolctl -n "__fish_poolctl_using_subcommand get" -s V -l version -d 'Print version'
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -s f -l filename -d 'Manifest files (YAML or JSON), repeatable; - reads stdin' -r -F
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l name -d 'Pool name (the os.modelarts/name label)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l type -d 'Pool type [default: Dedicate]' -r -f -a "Dedicate\t''
Logical\t''"
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l flavor -d 'Resource flavor, e.g. modelarts.vm.cpu.8ud' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l count -d 'Node count of the flavor' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l max-count -d 'Elastic maximum of the flavor (logical pools)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l resource -d 'A flavor and its counts, repeatable: flavor=F,count=N[,maxCount=M][,az=AZ:N]...' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l scope -d 'Job types, comma-separated: Train, Infer, Notebook' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l network -d 'Network name (spec.network.name)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l vpc-id -d 'VPC ID of a privileged pool (with --subnet-id)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l subnet-id -d 'Subnet ID of a privileged pool (with --vpc-id)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l description -d 'Description (annotation os.modelarts/description)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l sharing -d 'Sharing (label os.modelarts/sharing)' -r -f -a "shared\t''
unshared\t''"
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l node-prefix -d 'Node name prefix (label os.modelarts/node.prefix)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l parent -d 'Parent pool ID of a logical sub-pool' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l container-cidr -d 'Container network CIDR (spec.containerNetwork.cidr)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l service-cidr -d 'Kubernetes service CIDR (spec.kubernetesSvcIpRange)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l master-az -d 'AZ of a master node, repeatable' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l gpu-driver -d 'GPU driver version' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l npu-driver -d 'NPU driver version' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l driver-update-strategy -d 'Driver upgrade policy' -r -f -a "force\t''
idle\t''"
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l cluster-flavor -d 'Cluster flavor of a standard pool' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l label -d 'Any other label, repeatable: K=V' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l annotation -d 'Any other annotation, repeatable: K=V' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l validate -d 'Unknown fields: strict (error) or warn' -r -f -a "strict\t'Unknown fields are errors'
warn\t'Unknown fields are warnings and are sent as they are'"
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l region -d 'Region, e.g. ap-southeast-1, or eu-de on Open Telekom Cloud; picks the endpoint and the project [env: POOLCTL_REGION]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l endpoint -d 'ModelArts endpoint URL; overrides the one derived from --region [env: POOLCTL_ENDPOINT]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l project-id -d 'Project ID [env: POOLCTL_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID; else the credentials file, else looked up through IAM]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l iam-endpoint -d 'IAM endpoint URL for the project lookup [env: POOLCTL_IAM_ENDPOINT, HUAWEICLOUD_SDK_IAM_ENDPOINT; else the credentials file, else iam.X for --endpoint modelarts.X, else from --region]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l workspace-id -d 'Workspace of every lookup, and of created pools whose manifest names none (label os.modelarts/workspace.id) [env: POOLCTL_WORKSPACE_ID; default 0]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l ca-bundle -d 'PEM file of CA certificates to trust, added to the system\'s [env: POOLCTL_CA_BUNDLE]' -r -F
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l request-timeout -d 'Time limit of each HTTP request, e.g. 30s, 2m [default: 60s]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -s o -l output -d 'Output format of the result on stdout' -r -f -a "text\t'For people: details, tables, lines'
json\t'The service\'s objects as JSON'
yaml\t'The same as YAML'
name\t'metadata.name of each pool (or flavor), one per line'
wide\t'list: a table with more columns'"
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l query -d 'A JMESPath query on the JSON result, e.g. \'items[].metadata.name\' (as az --query)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l ipv6 -d 'Enable IPv6 (spec.ipv6enable)'
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l allow-plain-http -d 'Allow plain http:// to a host that is not this machine; credentials then cross the network in cleartext, and every run warns [env: POOLCTL_ALLOW_PLAIN_HTTP=1]'
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l emulator -d 'Run a pool API emulator inside this process and point this command at it: no account needed'
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -s q -l quiet -d 'Print only the result: no progress, no warnings'
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -s v -l verbose -d 'More detail on stderr; -vv traces HTTP (secrets redacted)'
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -l show-settings -d 'Print the settings resolved from flags, environment and files (secrets redacted), and exit'
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c poolctl -n "__fish_poolctl_using_subcommand diff" -s V -l version -d 'Print version'
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -s f -l filename -d 'Manifest files (YAML or JSON), repeatable; - reads stdin' -r -F
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l name -d 'Pool name (the os.modelarts/name label)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l type -d 'Pool type [default: Dedicate]' -r -f -a "Dedicate\t''
Logical\t''"
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l flavor -d 'Resource flavor, e.g. modelarts.vm.cpu.8ud' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l count -d 'Node count of the flavor' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l max-count -d 'Elastic maximum of the flavor (logical pools)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l resource -d 'A flavor and its counts, repeatable: flavor=F,count=N[,maxCount=M][,az=AZ:N]...' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l scope -d 'Job types, comma-separated: Train, Infer, Notebook' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l network -d 'Network name (spec.network.name)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l vpc-id -d 'VPC ID of a privileged pool (with --subnet-id)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l subnet-id -d 'Subnet ID of a privileged pool (with --vpc-id)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l description -d 'Description (annotation os.modelarts/description)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l sharing -d 'Sharing (label os.modelarts/sharing)' -r -f -a "shared\t''
unshared\t''"
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l node-prefix -d 'Node name prefix (label os.modelarts/node.prefix)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l parent -d 'Parent pool ID of a logical sub-pool' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l container-cidr -d 'Container network CIDR (spec.containerNetwork.cidr)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l service-cidr -d 'Kubernetes service CIDR (spec.kubernetesSvcIpRange)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l master-az -d 'AZ of a master node, repeatable' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l gpu-driver -d 'GPU driver version' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l npu-driver -d 'NPU driver version' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l driver-update-strategy -d 'Driver upgrade policy' -r -f -a "force\t''
idle\t''"
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l cluster-flavor -d 'Cluster flavor of a standard pool' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l label -d 'Any other label, repeatable: K=V' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l annotation -d 'Any other annotation, repeatable: K=V' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l wait-timeout -d 'How long --wait waits, e.g. 90m' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l validate -d 'Unknown fields: strict (error) or warn (warn and send them)' -r -f -a "strict\t'Unknown fields are errors'
warn\t'Unknown fields are warnings and are sent as they are'"
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l region -d 'Region, e.g. ap-southeast-1, or eu-de on Open Telekom Cloud; picks the endpoint and the project [env: POOLCTL_REGION]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l endpoint -d 'ModelArts endpoint URL; overrides the one derived from --region [env: POOLCTL_ENDPOINT]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l project-id -d 'Project ID [env: POOLCTL_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID; else the credentials file, else looked up through IAM]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l iam-endpoint -d 'IAM endpoint URL for the project lookup [env: POOLCTL_IAM_ENDPOINT, HUAWEICLOUD_SDK_IAM_ENDPOINT; else the credentials file, else iam.X for --endpoint modelarts.X, else from --region]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l workspace-id -d 'Workspace of every lookup, and of created pools whose manifest names none (label os.modelarts/workspace.id) [env: POOLCTL_WORKSPACE_ID; default 0]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l ca-bundle -d 'PEM file of CA certificates to trust, added to the system\'s [env: POOLCTL_CA_BUNDLE]' -r -F
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l request-timeout -d 'Time limit of each HTTP request, e.g. 30s, 2m [default: 60s]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -s o -l output -d 'Output format of the result on stdout' -r -f -a "text\t'For people: details, tables, lines'
json\t'The service\'s objects as JSON'
yaml\t'The same as YAML'
name\t'metadata.name of each pool (or flavor), one per line'
wide\t'list: a table with more columns'"
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l query -d 'A JMESPath query on the JSON result, e.g. \'items[].metadata.name\' (as az --query)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l ipv6 -d 'Enable IPv6 (spec.ipv6enable)'
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l dry-run -d 'Print what would be created and the patches; send nothing'
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l wait -d 'Wait until each pool is Running with the nodes it asks for'
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l no-preflight -d 'Skip the checks against the service (flavors sold out or unknown, network missing)'
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l show-secrets -d 'Show secret values (userLogin.password) instead of <redacted>'
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l allow-plain-http -d 'Allow plain http:// to a host that is not this machine; credentials then cross the network in cleartext, and every run warns [env: POOLCTL_ALLOW_PLAIN_HTTP=1]'
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l emulator -d 'Run a pool API emulator inside this process and point this command at it: no account needed'
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -s q -l quiet -d 'Print only the result: no progress, no warnings'
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -s v -l verbose -d 'More detail on stderr; -vv traces HTTP (secrets redacted)'
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -l show-settings -d 'Print the settings resolved from flags, environment and files (secrets redacted), and exit'
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c poolctl -n "__fish_poolctl_using_subcommand apply" -s V -l version -d 'Print version'
complete -c poolctl -n "__fish_poolctl_using_subcommand describe" -l region -d 'Region, e.g. ap-southeast-1, or eu-de on Open Telekom Cloud; picks the endpoint and the project [env: POOLCTL_REGION]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand describe" -l endpoint -d 'ModelArts endpoint URL; overrides the one derived from --region [env: POOLCTL_ENDPOINT]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand describe" -l project-id -d 'Project ID [env: POOLCTL_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID; else the credentials file, else looked up through IAM]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand describe" -l iam-endpoint -d 'IAM endpoint URL for the project lookup [env: POOLCTL_IAM_ENDPOINT, HUAWEICLOUD_SDK_IAM_ENDPOINT; else the credentials file, else iam.X for --endpoint modelarts.X, else from --region]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand describe" -l workspace-id -d 'Workspace of every lookup, and of created pools whose manifest names none (label os.modelarts/workspace.id) [env: POOLCTL_WORKSPACE_ID; default 0]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand describe" -l ca-bundle -d 'PEM file of CA certificates to trust, added to the system\'s [env: POOLCTL_CA_BUNDLE]' -r -F
complete -c poolctl -n "__fish_poolctl_using_subcommand describe" -l request-timeout -d 'Time limit of each HTTP request, e.g. 30s, 2m [default: 60s]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand describe" -s o -l output -d 'Output format of the result on stdout' -r -f -a "text\t'For people: details, tables, lines'
json\t'The service\'s objects as JSON'
yaml\t'The same as YAML'
name\t'metadata.name of each pool (or flavor), one per line'
wide\t'list: a table with more columns'"
complete -c poolctl -n "__fish_poolctl_using_subcommand describe" -l query -d 'A JMESPath query on the JSON result, e.g. \'items[].metadata.name\' (as az --query)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand describe" -l show-secrets -d 'Show secret values instead of <redacted>'
complete -c poolctl -n "__fish_poolctl_using_subcommand describe" -l allow-plain-http -d 'Allow plain http:// to a host that is not this machine; credentials then cross the network in cleartext, and every run warns [env: POOLCTL_ALLOW_PLAIN_HTTP=1]'
complete -c poolctl -n "__fish_poolctl_using_subcommand describe" -l emulator -d 'Run a pool API emulator inside this process and point this command at it: no account needed'
complete -c poolctl -n "__fish_poolctl_using_subcommand describe" -s q -l quiet -d 'Print only the result: no progress, no warnings'
complete -c poolctl -n "__fish_poolctl_using_subcommand describe" -s v -l verbose -d 'More detail on stderr; -vv traces HTTP (secrets redacted)'
complete -c poolctl -n "__fish_poolctl_using_subcommand describe" -l show-settings -d 'Print the settings resolved from flags, environment and files (secrets redacted), and exit'
complete -c poolctl -n "__fish_poolctl_using_subcommand describe" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c poolctl -n "__fish_poolctl_using_subcommand describe" -s V -l version -d 'Print version'
complete -c poolctl -n "__fish_poolctl_using_subcommand list" -s l -l label-selector -d 'Only pools with this label, e.g. os.modelarts/name=pool-ae01' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand list" -l status -d 'Only pools in this state' -r -f -a "created\t''
failed\t''
creating\t''"
complete -c poolctl -n "__fish_poolctl_using_subcommand list" -l region -d 'Region, e.g. ap-southeast-1, or eu-de on Open Telekom Cloud; picks the endpoint and the project [env: POOLCTL_REGION]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand list" -l endpoint -d 'ModelArts endpoint URL; overrides the one derived from --region [env: POOLCTL_ENDPOINT]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand list" -l project-id -d 'Project ID [env: POOLCTL_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID; else the credentials file, else looked up through IAM]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand list" -l iam-endpoint -d 'IAM endpoint URL for the project lookup [env: POOLCTL_IAM_ENDPOINT, HUAWEICLOUD_SDK_IAM_ENDPOINT; else the credentials file, else iam.X for --endpoint modelarts.X, else from --region]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand list" -l workspace-id -d 'Workspace of every lookup, and of created pools whose manifest names none (label os.modelarts/workspace.id) [env: POOLCTL_WORKSPACE_ID; default 0]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand list" -l ca-bundle -d 'PEM file of CA certificates to trust, added to the system\'s [env: POOLCTL_CA_BUNDLE]' -r -F
complete -c poolctl -n "__fish_poolctl_using_subcommand list" -l request-timeout -d 'Time limit of each HTTP request, e.g. 30s, 2m [default: 60s]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand list" -s o -l output -d 'Output format of the result on stdout' -r -f -a "text\t'For people: details, tables, lines'
json\t'The service\'s objects as JSON'
yaml\t'The same as YAML'
name\t'metadata.name of each pool (or flavor), one per line'
wide\t'list: a table with more columns'"
complete -c poolctl -n "__fish_poolctl_using_subcommand list" -l query -d 'A JMESPath query on the JSON result, e.g. \'items[].metadata.name\' (as az --query)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand list" -s w -l watch -d 'After the list, print each change as it comes (until Ctrl-C); -o json: one {"type","object"} per line'
complete -c poolctl -n "__fish_poolctl_using_subcommand list" -l no-headers -d 'No header line in the table'
complete -c poolctl -n "__fish_poolctl_using_subcommand list" -l allow-plain-http -d 'Allow plain http:// to a host that is not this machine; credentials then cross the network in cleartext, and every run warns [env: POOLCTL_ALLOW_PLAIN_HTTP=1]'
complete -c poolctl -n "__fish_poolctl_using_subcommand list" -l emulator -d 'Run a pool API emulator inside this process and point this command at it: no account needed'
complete -c poolctl -n "__fish_poolctl_using_subcommand list" -s q -l quiet -d 'Print only the result: no progress, no warnings'
complete -c poolctl -n "__fish_poolctl_using_subcommand list" -s v -l verbose -d 'More detail on stderr; -vv traces HTTP (secrets redacted)'
complete -c poolctl -n "__fish_poolctl_using_subcommand list" -l show-settings -d 'Print the settings resolved from flags, environment and files (secrets redacted), and exit'
complete -c poolctl -n "__fish_poolctl_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c poolctl -n "__fish_poolctl_using_subcommand list" -s V -l version -d 'Print version'
complete -c poolctl -n "__fish_poolctl_using_subcommand wait" -l for -d 'The state to wait for' -r -f -a "running\t''
deleted\t''"
complete -c poolctl -n "__fish_poolctl_using_subcommand wait" -l wait-timeout -d 'How long to wait, e.g. 90m' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand wait" -l region -d 'Region, e.g. ap-southeast-1, or eu-de on Open Telekom Cloud; picks the endpoint and the project [env: POOLCTL_REGION]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand wait" -l endpoint -d 'ModelArts endpoint URL; overrides the one derived from --region [env: POOLCTL_ENDPOINT]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand wait" -l project-id -d 'Project ID [env: POOLCTL_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID; else the credentials file, else looked up through IAM]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand wait" -l iam-endpoint -d 'IAM endpoint URL for the project lookup [env: POOLCTL_IAM_ENDPOINT, HUAWEICLOUD_SDK_IAM_ENDPOINT; else the credentials file, else iam.X for --endpoint modelarts.X, else from --region]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand wait" -l workspace-id -d 'Workspace of every lookup, and of created pools whose manifest names none (label os.modelarts/workspace.id) [env: POOLCTL_WORKSPACE_ID; default 0]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand wait" -l ca-bundle -d 'PEM file of CA certificates to trust, added to the system\'s [env: POOLCTL_CA_BUNDLE]' -r -F
complete -c poolctl -n "__fish_poolctl_using_subcommand wait" -l request-timeout -d 'Time limit of each HTTP request, e.g. 30s, 2m [default: 60s]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand wait" -s o -l output -d 'Output format of the result on stdout' -r -f -a "text\t'For people: details, tables, lines'
json\t'The service\'s objects as JSON'
yaml\t'The same as YAML'
name\t'metadata.name of each pool (or flavor), one per line'
wide\t'list: a table with more columns'"
complete -c poolctl -n "__fish_poolctl_using_subcommand wait" -l query -d 'A JMESPath query on the JSON result, e.g. \'items[].metadata.name\' (as az --query)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand wait" -l allow-plain-http -d 'Allow plain http:// to a host that is not this machine; credentials then cross the network in cleartext, and every run warns [env: POOLCTL_ALLOW_PLAIN_HTTP=1]'
complete -c poolctl -n "__fish_poolctl_using_subcommand wait" -l emulator -d 'Run a pool API emulator inside this process and point this command at it: no account needed'
complete -c poolctl -n "__fish_poolctl_using_subcommand wait" -s q -l quiet -d 'Print only the result: no progress, no warnings'
complete -c poolctl -n "__fish_poolctl_using_subcommand wait" -s v -l verbose -d 'More detail on stderr; -vv traces HTTP (secrets redacted)'
complete -c poolctl -n "__fish_poolctl_using_subcommand wait" -l show-settings -d 'Print the settings resolved from flags, environment and files (secrets redacted), and exit'
complete -c poolctl -n "__fish_poolctl_using_subcommand wait" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c poolctl -n "__fish_poolctl_using_subcommand wait" -s V -l version -d 'Print version'
complete -c poolctl -n "__fish_poolctl_using_subcommand delete" -s f -l filename -d 'The pools these manifests describe, each in its workspace; - reads stdin' -r -F
complete -c poolctl -n "__fish_poolctl_using_subcommand delete" -s l -l label-selector -d 'Every pool with these labels (in --workspace-id), e.g. team=ml,env=ci' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand delete" -l name -d 'With -f: the pool name that overrides the manifest\'s, as for create and apply' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand delete" -l wait-timeout -d 'How long --wait waits' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand delete" -l region -d 'Region, e.g. ap-southeast-1, or eu-de on Open Telekom Cloud; picks the endpoint and the project [env: POOLCTL_REGION]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand delete" -l endpoint -d 'ModelArts endpoint URL; overrides the one derived from --region [env: POOLCTL_ENDPOINT]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand delete" -l project-id -d 'Project ID [env: POOLCTL_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID; else the credentials file, else looked up through IAM]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand delete" -l iam-endpoint -d 'IAM endpoint URL for the project lookup [env: POOLCTL_IAM_ENDPOINT, HUAWEICLOUD_SDK_IAM_ENDPOINT; else the credentials file, else iam.X for --endpoint modelarts.X, else from --region]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand delete" -l workspace-id -d 'Workspace of every lookup, and of created pools whose manifest names none (label os.modelarts/workspace.id) [env: POOLCTL_WORKSPACE_ID; default 0]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand delete" -l ca-bundle -d 'PEM file of CA certificates to trust, added to the system\'s [env: POOLCTL_CA_BUNDLE]' -r -F
complete -c poolctl -n "__fish_poolctl_using_subcommand delete" -l request-timeout -d 'Time limit of each HTTP request, e.g. 30s, 2m [default: 60s]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand delete" -s o -l output -d 'Output format of the result on stdout' -r -f -a "text\t'For people: details, tables, lines'
json\t'The service\'s objects as JSON'
yaml\t'The same as YAML'
name\t'metadata.name of each pool (or flavor), one per line'
wide\t'list: a table with more columns'"
complete -c poolctl -n "__fish_poolctl_using_subcommand delete" -l query -d 'A JMESPath query on the JSON result, e.g. \'items[].metadata.name\' (as az --query)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand delete" -l ignore-not-found -d 'A pool that does not exist is not an error (exit 0)'
complete -c poolctl -n "__fish_poolctl_using_subcommand delete" -l wait -d 'Wait until the pools are gone'
complete -c poolctl -n "__fish_poolctl_using_subcommand delete" -l allow-plain-http -d 'Allow plain http:// to a host that is not this machine; credentials then cross the network in cleartext, and every run warns [env: POOLCTL_ALLOW_PLAIN_HTTP=1]'
complete -c poolctl -n "__fish_poolctl_using_subcommand delete" -l emulator -d 'Run a pool API emulator inside this process and point this command at it: no account needed'
complete -c poolctl -n "__fish_poolctl_using_subcommand delete" -s q -l quiet -d 'Print only the result: no progress, no warnings'
complete -c poolctl -n "__fish_poolctl_using_subcommand delete" -s v -l verbose -d 'More detail on stderr; -vv traces HTTP (secrets redacted)'
complete -c poolctl -n "__fish_poolctl_using_subcommand delete" -l show-settings -d 'Print the settings resolved from flags, environment and files (secrets redacted), and exit'
complete -c poolctl -n "__fish_poolctl_using_subcommand delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c poolctl -n "__fish_poolctl_using_subcommand delete" -s V -l version -d 'Print version'
complete -c poolctl -n "__fish_poolctl_using_subcommand flavors" -l type -d 'Only flavors of this kind' -r -f -a "cpu\t''
gpu\t''
npu\t''"
complete -c poolctl -n "__fish_poolctl_using_subcommand flavors" -l az -d 'Only flavors offered in this AZ, with their state there' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand flavors" -l region -d 'Region, e.g. ap-southeast-1, or eu-de on Open Telekom Cloud; picks the endpoint and the project [env: POOLCTL_REGION]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand flavors" -l endpoint -d 'ModelArts endpoint URL; overrides the one derived from --region [env: POOLCTL_ENDPOINT]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand flavors" -l project-id -d 'Project ID [env: POOLCTL_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID; else the credentials file, else looked up through IAM]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand flavors" -l iam-endpoint -d 'IAM endpoint URL for the project lookup [env: POOLCTL_IAM_ENDPOINT, HUAWEICLOUD_SDK_IAM_ENDPOINT; else the credentials file, else iam.X for --endpoint modelarts.X, else from --region]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand flavors" -l workspace-id -d 'Workspace of every lookup, and of created pools whose manifest names none (label os.modelarts/workspace.id) [env: POOLCTL_WORKSPACE_ID; default 0]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand flavors" -l ca-bundle -d 'PEM file of CA certificates to trust, added to the system\'s [env: POOLCTL_CA_BUNDLE]' -r -F
complete -c poolctl -n "__fish_poolctl_using_subcommand flavors" -l request-timeout -d 'Time limit of each HTTP request, e.g. 30s, 2m [default: 60s]' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand flavors" -s o -l output -d 'Output format of the result on stdout' -r -f -a "text\t'For people: details, tables, lines'
json\t'The service\'s objects as JSON'
yaml\t'The same as YAML'
name\t'metadata.name of each pool (or flavor), one per line'
wide\t'list: a table with more columns'"
complete -c poolctl -n "__fish_poolctl_using_subcommand flavors" -l query -d 'A JMESPath query on the JSON result, e.g. \'items[].metadata.name\' (as az --query)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand flavors" -l available -d 'Only flavors not sold out (in --az, else in some AZ)'
complete -c poolctl -n "__fish_poolctl_using_subcommand flavors" -l allow-plain-http -d 'Allow plain http:// to a host that is not this machine; credentials then cross the network in cleartext, and every run warns [env: POOLCTL_ALLOW_PLAIN_HTTP=1]'
complete -c poolctl -n "__fish_poolctl_using_subcommand flavors" -l emulator -d 'Run a pool API emulator inside this process and point this command at it: no account needed'
complete -c poolctl -n "__fish_poolctl_using_subcommand flavors" -s q -l quiet -d 'Print only the result: no progress, no warnings'
complete -c poolctl -n "__fish_poolctl_using_subcommand flavors" -s v -l verbose -d 'More detail on stderr; -vv traces HTTP (secrets redacted)'
complete -c poolctl -n "__fish_poolctl_using_subcommand flavors" -l show-settings -d 'Print the settings resolved from flags, environment and files (secrets redacted), and exit'
complete -c poolctl -n "__fish_poolctl_using_subcommand flavors" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c poolctl -n "__fish_poolctl_using_subcommand flavors" -s V -l version -d 'Print version'
complete -c poolctl -n "__fish_poolctl_using_subcommand emulator" -l listen -d 'Address to listen on (loopback by default; port 0 picks a free one)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand emulator" -l provision-time -d 'Time for a pool to go from Creating to Running' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand emulator" -l faults -d 'Injected faults, e.g. "get:503*3,post:reset-after*1,429=2%20,latency=300ms" (docs/emulator.md)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand emulator" -l seed -d 'Seed of the fault injection, for reproducible runs' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand emulator" -l state -d 'Keep pools in this file across restarts (written atomically)' -r -F
complete -c poolctl -n "__fish_poolctl_using_subcommand emulator" -s o -l output -d 'Output format of the result on stdout' -r -f -a "text\t'For people: details, tables, lines'
json\t'The service\'s objects as JSON'
yaml\t'The same as YAML'
name\t'metadata.name of each pool (or flavor), one per line'
wide\t'list: a table with more columns'"
complete -c poolctl -n "__fish_poolctl_using_subcommand emulator" -l query -d 'A JMESPath query on the JSON result, e.g. \'items[].metadata.name\' (as az --query)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand emulator" -s q -l quiet -d 'Print only the result: no progress, no warnings'
complete -c poolctl -n "__fish_poolctl_using_subcommand emulator" -s v -l verbose -d 'More detail on stderr; -vv traces HTTP (secrets redacted)'
complete -c poolctl -n "__fish_poolctl_using_subcommand emulator" -l show-settings -d 'Print the settings resolved from flags, environment and files (secrets redacted), and exit'
complete -c poolctl -n "__fish_poolctl_using_subcommand emulator" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c poolctl -n "__fish_poolctl_using_subcommand emulator" -s V -l version -d 'Print version'
complete -c poolctl -n "__fish_poolctl_using_subcommand schema" -s o -l output -d 'Output format of the result on stdout' -r -f -a "text\t'For people: details, tables, lines'
json\t'The service\'s objects as JSON'
yaml\t'The same as YAML'
name\t'metadata.name of each pool (or flavor), one per line'
wide\t'list: a table with more columns'"
complete -c poolctl -n "__fish_poolctl_using_subcommand schema" -l query -d 'A JMESPath query on the JSON result, e.g. \'items[].metadata.name\' (as az --query)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand schema" -s q -l quiet -d 'Print only the result: no progress, no warnings'
complete -c poolctl -n "__fish_poolctl_using_subcommand schema" -s v -l verbose -d 'More detail on stderr; -vv traces HTTP (secrets redacted)'
complete -c poolctl -n "__fish_poolctl_using_subcommand schema" -l show-settings -d 'Print the settings resolved from flags, environment and files (secrets redacted), and exit'
complete -c poolctl -n "__fish_poolctl_using_subcommand schema" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c poolctl -n "__fish_poolctl_using_subcommand schema" -s V -l version -d 'Print version'
complete -c poolctl -n "__fish_poolctl_using_subcommand completions" -s o -l output -d 'Output format of the result on stdout' -r -f -a "text\t'For people: details, tables, lines'
json\t'The service\'s objects as JSON'
yaml\t'The same as YAML'
name\t'metadata.name of each pool (or flavor), one per line'
wide\t'list: a table with more columns'"
complete -c poolctl -n "__fish_poolctl_using_subcommand completions" -l query -d 'A JMESPath query on the JSON result, e.g. \'items[].metadata.name\' (as az --query)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand completions" -s q -l quiet -d 'Print only the result: no progress, no warnings'
complete -c poolctl -n "__fish_poolctl_using_subcommand completions" -s v -l verbose -d 'More detail on stderr; -vv traces HTTP (secrets redacted)'
complete -c poolctl -n "__fish_poolctl_using_subcommand completions" -l show-settings -d 'Print the settings resolved from flags, environment and files (secrets redacted), and exit'
complete -c poolctl -n "__fish_poolctl_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c poolctl -n "__fish_poolctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c poolctl -n "__fish_poolctl_using_subcommand man" -s o -l output -d 'Output format of the result on stdout' -r -f -a "text\t'For people: details, tables, lines'
json\t'The service\'s objects as JSON'
yaml\t'The same as YAML'
name\t'metadata.name of each pool (or flavor), one per line'
wide\t'list: a table with more columns'"
complete -c poolctl -n "__fish_poolctl_using_subcommand man" -l query -d 'A JMESPath query on the JSON result, e.g. \'items[].metadata.name\' (as az --query)' -r
complete -c poolctl -n "__fish_poolctl_using_subcommand man" -s q -l quiet -d 'Print only the result: no progress, no warnings'
complete -c poolctl -n "__fish_poolctl_using_subcommand man" -s v -l verbose -d 'More detail on stderr; -vv traces HTTP (secrets redacted)'
complete -c poolctl -n "__fish_poolctl_using_subcommand man" -l show-settings -d 'Print the settings resolved from flags, environment and files (secrets redacted), and exit'
complete -c poolctl -n "__fish_poolctl_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c poolctl -n "__fish_poolctl_using_subcommand man" -s V -l version -d 'Print version'
complete -c poolctl -n "__fish_poolctl_using_subcommand help; and not __fish_seen_subcommand_from create validate get diff apply describe list wait delete flavors emulator schema completions man help" -f -a "create" -d 'Create pools from manifests and/or flags'
complete -c poolctl -n "__fish_poolctl_using_subcommand help; and not __fish_seen_subcommand_from create validate get diff apply describe list wait delete flavors emulator schema completions man help" -f -a "validate" -d 'Check manifests locally; with --preflight, also against the service (creates nothing)'
complete -c poolctl -n "__fish_poolctl_using_subcommand help; and not __fish_seen_subcommand_from create validate get diff apply describe list wait delete flavors emulator schema completions man help" -f -a "get" -d 'Show one pool (by metadata.name or by its os.modelarts/name label)'
complete -c poolctl -n "__fish_poolctl_using_subcommand help; and not __fish_seen_subcommand_from create validate get diff apply describe list wait delete flavors emulator schema completions man help" -f -a "diff" -d 'Show how the live pools differ from manifests: what apply would change'
complete -c poolctl -n "__fish_poolctl_using_subcommand help; and not __fish_seen_subcommand_from create validate get diff apply describe list wait delete flavors emulator schema completions man help" -f -a "apply" -d 'Make pools as manifests describe them: create the missing, change the rest in place'
complete -c poolctl -n "__fish_poolctl_using_subcommand help; and not __fish_seen_subcommand_from create validate get diff apply describe list wait delete flavors emulator schema completions man help" -f -a "describe" -d 'Show a pool in detail: phase, nodes per flavor and AZ, scope, driver, recent events'
complete -c poolctl -n "__fish_poolctl_using_subcommand help; and not __fish_seen_subcommand_from create validate get diff apply describe list wait delete flavors emulator schema completions man help" -f -a "list" -d 'List pools'
complete -c poolctl -n "__fish_poolctl_using_subcommand help; and not __fish_seen_subcommand_from create validate get diff apply describe list wait delete flavors emulator schema completions man help" -f -a "wait" -d 'Wait until a pool is Running (or deleted)'
complete -c poolctl -n "__fish_poolctl_using_subcommand help; and not __fish_seen_subcommand_from create validate get diff apply describe list wait delete flavors emulator schema completions man help" -f -a "delete" -d 'Delete pools: by name, by the manifests that describe them, or by label'
complete -c poolctl -n "__fish_poolctl_using_subcommand help; and not __fish_seen_subcommand_from create validate get diff apply describe list wait delete flavors emulator schema completions man help" -f -a "flavors" -d 'List the resource flavors, and the AZs where each is available or sold out'
complete -c poolctl -n "__fish_poolctl_using_subcommand help; and not __fish_seen_subcommand_from create validate get diff apply describe list wait delete flavors emulator schema completions man help" -f -a "emulator" -d 'Serve a local emulator of the pool API'
complete -c poolctl -n "__fish_poolctl_using_subcommand help; and not __fish_seen_subcommand_from create validate get diff apply describe list wait delete flavors emulator schema completions man help" -f -a "schema" -d 'Print the JSON Schema of the manifest (for editors and yaml-language-server)'
complete -c poolctl -n "__fish_poolctl_using_subcommand help; and not __fish_seen_subcommand_from create validate get diff apply describe list wait delete flavors emulator schema completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c poolctl -n "__fish_poolctl_using_subcommand help; and not __fish_seen_subcommand_from create validate get diff apply describe list wait delete flavors emulator schema completions man help" -f -a "man" -d 'Print the man page (roff)'
complete -c poolctl -n "__fish_poolctl_using_subcommand help; and not __fish_seen_subcommand_from create validate get diff apply describe list wait delete flavors emulator schema completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
