using EdgeCnn.Converter.Cli;

return CliApp.Run(args, Console.Out, Console.Error);
